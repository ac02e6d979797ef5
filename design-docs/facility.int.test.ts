/**
 * The bundled facility design document inside the real embedded store, reached through the gateway as a browser
 * reaches it: good documents are stored, and every rule refuses with 403 and a reason that names it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { facilityDesignDoc, type DesignDoc } from './index.ts';
import {
  auditEvent,
  changed,
  passportDoc,
  patientRecord,
  prescription,
  sealed,
  visit,
  withFreshId,
} from '../common/records/test-fixtures.ts';
import { useRegister } from '../test/helpers/start-register.ts';
import { createFacility, createUser, logIn, type Session } from '../test/helpers/users.ts';
import type { HttpResult } from '../test/helpers/http.ts';

const register = useRegister();
let nina: Session;
let olga: Session;
let ana: Session;

beforeAll(async () => {
  const r = register.current;
  await createFacility(r, 'a');
  await createFacility(r, 'retiring');
  const roles = (role: string) => [role, 'facility:a', 'facility:retiring'];
  nina = await logIn(r, await createUser(r, { name: 'nina', password: 'nina-pass-2026', roles: roles('nurse') }));
  olga = await logIn(r, await createUser(r, { name: 'olga', password: 'olga-pass-2026', roles: roles('doctor') }));
  ana = await logIn(r, await createUser(r, { name: 'ana', password: 'ana-pass-2026', roles: roles('analyst') }));
});

function put(session: Session, doc: { _id: string }, db = 'facility-a'): Promise<HttpResult> {
  return session.put(`/db/${db}/${encodeURIComponent(doc._id)}`, doc);
}

function expectRefused(answer: HttpResult, reason: string | RegExp): void {
  expect(answer.status).toBe(403);
  const body = answer.json as { error?: string; reason?: string };
  expect(body.error).toBe('forbidden');
  if (typeof reason === 'string') expect(body.reason).toBe(reason);
  else expect(body.reason).toMatch(reason);
}

const revOf = (answer: HttpResult): string => (answer.json as { rev: string }).rev;

describe('the facility design document in the store', () => {
  it('stores what a nurse records: a passport, a visit, her audit event', async () => {
    expect((await put(nina, withFreshId(passportDoc()))).status).toBe(201);
    expect((await put(nina, withFreshId(visit()))).status).toBe(201);
    expect((await put(nina, withFreshId(auditEvent('nina')))).status).toBe(201);
  });

  it('refuses a nurse’s prescription, naming the rule', async () => {
    const doc = withFreshId({ ...prescription(), prescriber: 'nina', createdBy: 'nina' });
    expectRefused(await put(nina, doc), 'Only a doctor may write or cancel prescriptions.');
  });

  it('stores a doctor’s prescription and its cancellation', async () => {
    const doc = withFreshId(prescription());
    const created = await put(olga, doc);
    expect(created.status).toBe(201);
    const cancelled = {
      ...doc,
      _rev: revOf(created),
      status: 'cancelled',
      cancellation: { at: '2026-11-29T10:00:00.000Z', by: 'olga', reason: sealed() },
      updatedBy: 'olga',
      updatedAt: '2026-11-29T10:00:00.000Z',
    };
    expect((await put(olga, cancelled)).status).toBe(201);
  });

  it('stores a colleague’s prescription copied by a transfer only with its marker, and never from a nurse', async () => {
    const copy = { ...prescription(), prescriber: 'boris', cancellation: undefined, transferredFrom: 'b' };
    expect((await put(olga, withFreshId(copy))).status).toBe(201);
    expectRefused(
      await put(olga, withFreshId({ ...copy, transferredFrom: undefined })),
      '"prescriber" must be the doctor who writes the prescription.',
    );
    expectRefused(
      await put(nina, withFreshId({ ...copy, createdBy: 'nina' })),
      'Only a doctor may write or cancel prescriptions.',
    );
  });

  it.each<[string, () => Session, Record<string, unknown> & { _id: string }, string | RegExp]>([
    ['a zero dose', () => olga, { ...prescription(), dose: 0 }, /^Invalid prescription document\. dose: /],
    ['an ECOG of 7', () => nina, { ...visit(), ecog: 7 }, /^Invalid visit document\. ecog: /],
    ['a plaintext note', () => nina, { ...visit(), note: 'Дочь: Иванова Анна' }, /^Invalid visit document\. note: /],
    [
      'a plaintext field on a passport',
      () => nina,
      { ...passportDoc(), surname: 'Иванова' },
      'A passport carries only encrypted data; field "surname" is not allowed.',
    ],
    [
      'an audit event under another login',
      () => nina,
      { ...auditEvent('olga'), action: 'printed' },
      'An audit event may be written only by the login named in its id.',
    ],
    [
      'anything from an analyst',
      () => ana,
      { ...visit(), createdBy: 'ana' },
      'Only doctors, nurses and administrators of the facility write here.',
    ],
  ])('refuses %s', async (_what, session, doc, reason) => {
    expectRefused(await put(session(), withFreshId(doc)), reason);
  });

  it('keeps a patient a nurse registers "pending" until a doctor confirms', async () => {
    const active = withFreshId({ ...patientRecord(), createdBy: 'nina' });
    expectRefused(await put(nina, active), /starts as "pending"/);
    const pending = changed(active, (r) => r.statusHistory.splice(1));
    const created = await put(nina, pending);
    expect(created.status).toBe(201);
    const confirm = (who: string) => ({
      ...active,
      _rev: revOf(created),
      updatedBy: who,
      updatedAt: '2026-11-29T10:00:00Z',
    });
    expectRefused(await put(nina, confirm('nina')), 'Only a doctor moves a patient out of "pending".');
    expect((await put(olga, confirm('olga'))).status).toBe(201);
  });

  it('validates each document of a _bulk_docs on its own', async () => {
    const good = withFreshId(visit());
    const bad = withFreshId({ ...visit(), pain: 12 });
    const answer = await nina.post('/db/facility-a/_bulk_docs', { docs: [good, bad] });
    expect(answer.status).toBe(201);
    const results = answer.json as { id: string; ok?: boolean; error?: string; reason?: string }[];
    expect(results.find((result) => result.id === good._id)).toMatchObject({ ok: true });
    const refused = results.find((result) => result.id === bad._id);
    expect(refused).toMatchObject({ error: 'forbidden' });
    expect(refused?.reason).toMatch(/^Invalid visit document\. pain: /);
  });

  it('lets a member delete a revision (how a losing leaf goes), but never an audit event', async () => {
    // The store cannot tell a losing leaf from the winner, so the rule is the same for both: a member may delete.
    // (A real conflict cannot be made here: the embedded store drops revisions replicated with new_edits: false
    // into a database that has a validate_doc_update — see the report of the design-doc work.)
    const doc = withFreshId(visit());
    const written = await put(nina, doc);
    expect(written.status).toBe(201);
    const deleted = await nina.request(`/db/facility-a/${encodeURIComponent(doc._id)}?rev=${revOf(written)}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);

    const event = withFreshId(auditEvent('nina'));
    const appended = await put(nina, event);
    expect(appended.status).toBe(201);
    const removed = await nina.request(`/db/facility-a/${encodeURIComponent(event._id)}?rev=${revOf(appended)}`, {
      method: 'DELETE',
    });
    expectRefused(removed, 'Audit events cannot be changed or deleted.');
  });

  it('refuses sealed data under a retired epoch once the design document says so', async () => {
    const store = register.current.store;
    await store.upsert<DesignDoc>('facility-retiring', '_design/register', (current) => ({
      ...facilityDesignDoc('retiring', { minWriteEpoch: 2 }),
      ...(current?._rev ? { _rev: current._rev } : {}),
    }));
    const note = (epoch: number) => withFreshId({ ...visit(), note: sealed(epoch, 'retiring') });
    expectRefused(await put(nina, note(1), 'facility-retiring'), /uses key epoch 1, which is retired/);
    expect((await put(nina, note(2), 'facility-retiring')).status).toBe(201);
    expectRefused(await put(nina, note(1), 'facility-a'), /must use a key of this facility \("a:<epoch>"\)/);
  });
});
