/**
 * TEST-ONLY helpers for the administrator's component tests (not imported by the app).
 *
 * `<rp-admin-test-context>` provides the real I18n service (Russian) the way rp-app does. `MemoryAdminApi` and
 * `MemoryReferenceStore` are deliberately minimal STAND-INS for the HTTP admin API and the `reference` database:
 * they keep what was sent in arrays so a test can look at it, and the reference stand-in runs the real shared
 * validation before every write. They are not the server: end-to-end tests against the real register are added
 * separately (the admin API was being built at the same time as these pages).
 */
import { LitElement, html, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import { fixture } from '@open-wc/testing';
import { i18nContext } from '../../app/contexts.ts';
import { I18n } from '../../i18n/i18n.ts';
import { validateReferenceDoc, type ReferenceDoc } from '../../../common/reference/types.ts';
import { InvalidReferenceDocError, type ReferenceStore } from '../reference-store.ts';
import type { SignedKeyCopy, WrappedSigningKey } from '../../../common/keys/index.ts';
import type {
  AdminApi,
  AuditEvent,
  Credentials,
  Facility,
  FacilityChange,
  FacilityKeysDoc,
  KeyRecipients,
  NewEpoch,
  PendingKeyConfirmation,
  NewFacility,
  NewStaffMember,
  StaffChange,
  StaffMember,
} from '../admin-types.ts';

export class RpAdminTestContext extends LitElement {
  readonly #i18n = new ContextProvider(this, { context: i18nContext, initialValue: new I18n(null, 'ru') });

  get i18n(): I18n {
    return this.#i18n.value;
  }

  override render() {
    return html`<slot></slot>`;
  }
}
customElements.define('rp-admin-test-context', RpAdminTestContext);

/** Renders `content` inside `<main>` and the i18n context, and waits for the element matching `selector`. */
export async function renderAdmin<T extends HTMLElement>(content: TemplateResult, selector: string): Promise<T> {
  const root = await fixture<HTMLElement>(html`<main><rp-admin-test-context>${content}</rp-admin-test-context></main>`);
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`${selector} was not rendered`);
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return element;
}

export const FACILITIES: Facility[] = [
  {
    id: 'crb-kondopoga',
    name: 'Кондопожская ЦРБ',
    active: true,
    createdAt: '2026-01-10T08:00:00.000Z',
    createdBy: 'admin',
  },
  {
    id: 'hospice-ptz',
    name: 'Хоспис Петрозаводска',
    shortName: 'Хоспис',
    active: true,
    createdAt: '2026-01-11T08:00:00.000Z',
    createdBy: 'admin',
  },
];

export const STAFF: StaffMember[] = [
  {
    login: 'ivanova',
    displayName: 'Иванова Мария Петровна',
    roles: ['nurse'],
    facilities: ['crb-kondopoga'],
    status: 'active',
    mustChangePassword: true,
    oneTimePasswordExpiresAt: '2026-01-01T00:00:00.000Z',
    hasKeys: false,
    createdAt: '2025-12-20T08:00:00.000Z',
  },
  {
    login: 'petrov',
    displayName: 'Петров Иван Сергеевич',
    roles: ['doctor'],
    facilities: ['hospice-ptz'],
    status: 'disabled',
    mustChangePassword: false,
    hasKeys: true,
    createdAt: '2025-11-02T08:00:00.000Z',
  },
];

/** Minimal in-memory stand-in for the admin API (see the file comment). */
export class MemoryAdminApi implements AdminApi {
  facilities: Facility[] = structuredClone(FACILITIES);
  staff: StaffMember[] = structuredClone(STAFF);
  events: AuditEvent[] = [
    { _id: 'audit:1', event: 'login', login: 'admin', at: '2026-11-29T08:00:00.000Z', ip: '10.0.0.1' },
  ];
  pending: PendingKeyConfirmation[] = [];
  /** `facility-keys:<id>` documents by facility id. */
  keys = new Map<string, FacilityKeysDoc>();
  readonly sent: { call: string; body: unknown }[] = [];

  listKeyConfirmations(): Promise<PendingKeyConfirmation[]> {
    return Promise.resolve(structuredClone(this.pending));
  }
  facilityKeys(facilityId: string): Promise<FacilityKeysDoc | null> {
    return Promise.resolve(structuredClone(this.keys.get(facilityId) ?? null));
  }
  /** Records the copies and drops the member from the pending list (the real server verifies them first). */
  issueKeyCopies(login: string, copies: SignedKeyCopy[]): Promise<void> {
    this.sent.push({ call: 'issueKeyCopies', body: { login, copies } });
    this.pending = this.pending.filter((entry) => entry.login !== login);
    return Promise.resolve();
  }

  /** Recipients of a new epoch, by facility (set by a test that starts an epoch). */
  recipients = new Map<string, KeyRecipients>();
  keyRecipients(facilityId: string): Promise<KeyRecipients> {
    const found = this.recipients.get(facilityId);
    return found ? Promise.resolve(structuredClone(found)) : Promise.reject(new Error(`no recipients: ${facilityId}`));
  }
  startEpoch(facilityId: string, epoch: NewEpoch): Promise<{ epoch: number; members: number; retireAt: string }> {
    this.sent.push({ call: 'startEpoch', body: { facilityId, ...epoch } });
    const retireAt = new Date(Date.now() + epoch.graceHours * 3_600_000).toISOString();
    return Promise.resolve({ epoch: epoch.epoch, members: epoch.copies.length - 2, retireAt });
  }
  takeCustody(
    facilityId: string,
    custody: { signingKey: WrappedSigningKey; epochKeys: SignedKeyCopy[] },
  ): Promise<{ epochs: number[] }> {
    this.sent.push({ call: 'takeCustody', body: { facilityId, ...custody } });
    return Promise.resolve({ epochs: custody.epochKeys.map((copy) => copy.epoch) });
  }

  deploymentId(): Promise<string> {
    return Promise.resolve('test-deployment');
  }
  listFacilities(): Promise<Facility[]> {
    return Promise.resolve(structuredClone(this.facilities));
  }
  createFacility(facility: NewFacility): Promise<void> {
    this.sent.push({ call: 'createFacility', body: facility });
    this.facilities.push({ ...facility, active: true, createdAt: new Date().toISOString(), createdBy: 'admin' });
    return Promise.resolve();
  }
  updateFacility(id: string, change: FacilityChange): Promise<void> {
    this.sent.push({ call: 'updateFacility', body: { id, ...change } });
    this.facilities = this.facilities.map((f) => (f.id === id ? { ...f, ...change } : f));
    return Promise.resolve();
  }
  listStaff(): Promise<StaffMember[]> {
    return Promise.resolve(structuredClone(this.staff));
  }
  createStaff(member: NewStaffMember): Promise<void> {
    this.sent.push({ call: 'createStaff', body: member });
    return Promise.resolve();
  }
  updateStaff(login: string, change: StaffChange): Promise<void> {
    this.sent.push({ call: 'updateStaff', body: { login, ...change } });
    return Promise.resolve();
  }
  disableStaff(login: string): Promise<void> {
    this.sent.push({ call: 'disableStaff', body: { login } });
    return Promise.resolve();
  }
  enableStaff(login: string, credentials: Credentials): Promise<void> {
    this.sent.push({ call: 'enableStaff', body: { login, ...credentials } });
    return Promise.resolve();
  }
  resetStaff(login: string, credentials: Credentials): Promise<void> {
    this.sent.push({ call: 'resetStaff', body: { login, ...credentials } });
    return Promise.resolve();
  }
  listAudit(): Promise<AuditEvent[]> {
    return Promise.resolve(structuredClone(this.events));
  }
}

/** Minimal in-memory stand-in for `/db/reference`: real shared validation, revisions counted like CouchDB's. */
export class MemoryReferenceStore implements ReferenceStore {
  readonly docs = new Map<string, ReferenceDoc>();

  constructor(docs: readonly ReferenceDoc[] = []) {
    for (const doc of docs) this.docs.set(doc._id, doc);
  }

  list(prefix: string): Promise<unknown[]> {
    return Promise.resolve(
      [...this.docs.values()].filter((doc) => doc._id.startsWith(prefix)).sort((a, b) => a._id.localeCompare(b._id)),
    );
  }

  put<T extends ReferenceDoc>(doc: T): Promise<T> {
    const errors = validateReferenceDoc(doc);
    if (errors.length > 0) return Promise.reject(new InvalidReferenceDocError(errors));
    const generation = Number((this.docs.get(doc._id)?._rev ?? '0-').split('-')[0]) + 1;
    const stored = { ...doc, _rev: `${generation}-test` };
    this.docs.set(doc._id, stored);
    return Promise.resolve(stored);
  }
}
