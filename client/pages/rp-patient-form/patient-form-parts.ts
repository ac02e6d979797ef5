/**
 * The list-shaped parts of the patient form — phones, the legal representative and caregivers (rows added and
 * removed), ICD-10 diagnoses picked from the reference book, needs with met/unmet — each a fieldset with a legend,
 * its controls labelled and tied to their messages like every other field of the form.
 */
import { html, nothing } from 'lit';
import { DIAGNOSIS_ROLES, NEEDS, type Need } from '../../../common/records/index.ts';
import type { I18n, MessageKey } from '../../i18n/i18n.ts';
import type { PatientReference } from '../rp-patients-section/patient-reference.ts';
import {
  controlId,
  emptyContact,
  type ContactDraft,
  type DraftErrors,
  type NeedChoice,
  type PatientDraft,
} from './patient-draft.ts';
import { inputControl, notes, selectControl } from './form-controls.ts';

export interface FormParts {
  t: I18n['t'];
  draft: PatientDraft;
  errors: DraftErrors;
  busy: boolean;
  set: <K extends keyof PatientDraft>(key: K, value: PatientDraft[K]) => void;
  lookup: PatientReference;
  diagnosisQuery: string;
  setDiagnosisQuery: (query: string) => void;
}

/** A fieldset tied to the message of its own path (a problem of the whole list). */
function group(parts: FormParts, path: string, legend: string, content: unknown) {
  const id = controlId(path);
  const error = parts.errors[path];
  return html`<fieldset
    id=${id}
    aria-invalid=${error ? 'true' : 'false'}
    aria-describedby=${error ? `${id}-error` : nothing}
  >
    <legend>${legend}</legend>
    ${content} ${notes(id, { error })}
  </fieldset>`;
}

function replaced<T>(list: readonly T[], index: number, value: T): T[] {
  return list.map((item, i) => (i === index ? value : item));
}

function contactFields(parts: FormParts, path: string, contact: ContactDraft, change: (next: ContactDraft) => void) {
  const { t, errors, busy } = parts;
  const field = (key: keyof ContactDraft, label: MessageKey, type: 'text' | 'tel' = 'text') =>
    inputControl(controlId(`${path}.${key}`), t(label), contact[key], (value) => change({ ...contact, [key]: value }), {
      error: errors[`${path}.${key}`] ?? errors[path],
      disabled: busy,
      type,
    });
  return html`<div class="form-grid">
    ${field('name', 'patients.form.contactName')} ${field('relation', 'patients.form.contactRelation')}
    ${field('phone', 'patients.form.contactPhone', 'tel')}
  </div>`;
}

export function renderContacts(parts: FormParts) {
  const { t, draft, busy, set } = parts;
  const phones = draft.phones.map((phone, index) => {
    const path = `passport.phones[${index}]`;
    return html`<div class="row">
      ${inputControl(
        controlId(path),
        t('patients.form.phone', { n: index + 1 }),
        phone,
        (value) => set('phones', replaced(draft.phones, index, value)),
        {
          error: parts.errors[path],
          disabled: busy,
          type: 'tel',
          autocomplete: 'off',
          inputmode: 'tel',
        },
      )}
      <button
        class="button secondary"
        type="button"
        ?disabled=${busy}
        @click=${() =>
          set(
            'phones',
            draft.phones.filter((_, i) => i !== index),
          )}
      >
        ${t('patients.form.removePhone', { n: index + 1 })}
      </button>
    </div>`;
  });
  const caregivers = draft.caregivers.map(
    (contact, index) =>
      html`<fieldset class="nested">
        <legend>${t('patients.form.caregiver', { n: index + 1 })}</legend>
        ${contactFields(parts, `passport.caregivers[${index}]`, contact, (next) =>
          set('caregivers', replaced(draft.caregivers, index, next)),
        )}
        <button
          class="button secondary"
          type="button"
          ?disabled=${busy}
          @click=${() =>
            set(
              'caregivers',
              draft.caregivers.filter((_, i) => i !== index),
            )}
        >
          ${t('patients.form.removeCaregiver', { n: index + 1 })}
        </button>
      </fieldset>`,
  );
  return html`${group(
    parts,
    'passport.phones',
    t('patients.form.phones'),
    html`${phones}
      <button
        class="button secondary"
        type="button"
        ?disabled=${busy}
        @click=${() => set('phones', [...draft.phones, ''])}
      >
        ${t('patients.form.addPhone')}
      </button>`,
  )}
  ${group(
    parts,
    'passport.legalRepresentative',
    t('patients.form.representative'),
    contactFields(parts, 'passport.legalRepresentative', draft.representative, (next) => set('representative', next)),
  )}
  ${group(
    parts,
    'passport.caregivers',
    t('patients.form.caregivers'),
    html`${caregivers.length === 0 ? html`<p class="muted">${t('patients.form.noCaregivers')}</p>` : caregivers}
      <button
        class="button secondary"
        type="button"
        ?disabled=${busy}
        @click=${() => set('caregivers', [...draft.caregivers, emptyContact()])}
      >
        ${t('patients.form.addCaregiver')}
      </button>`,
  )}`;
}

function addDiagnosis(parts: FormParts, code: string): void {
  const { draft } = parts;
  if (!draft.diagnoses.some((d) => d.code === code)) {
    const role = draft.diagnoses.some((d) => d.role === 'main') ? 'secondary' : 'main';
    parts.set('diagnoses', [...draft.diagnoses, { code, role, since: '' }]);
  }
  parts.setDiagnosisQuery('');
}

export function renderDiagnoses(parts: FormParts) {
  const { t, draft, busy, set, lookup } = parts;
  const query = parts.diagnosisQuery;
  const found = query.trim() === '' ? [] : lookup.searchDiagnoses(query, 8);
  const roles = DIAGNOSIS_ROLES.map((role) => ({ value: role, label: t(`patients.diagnosisRole.${role}`) }));
  const rows = draft.diagnoses.map((diagnosis, index) => {
    const path = `record.diagnoses[${index}]`;
    const name = diagnosis.code.trim() ? lookup.diagnosisName(lookup.normaliseCode(diagnosis.code)) : null;
    const change = (key: 'code' | 'role' | 'since', value: string) =>
      set('diagnoses', replaced(draft.diagnoses, index, { ...diagnosis, [key]: value }));
    return html`<fieldset class="nested" id=${controlId(path)}>
      <legend>${t('patients.form.diagnosisRow', { n: index + 1 })}</legend>
      <p class="diagnosis-name">
        ${name ?? (lookup.chunks.length > 0 && diagnosis.code.trim() ? t('patients.form.diagnosisUnknown') : '')}
      </p>
      <div class="form-grid">
        ${inputControl(
          controlId(`${path}.code`),
          t('patients.form.diagnosisCode'),
          diagnosis.code,
          (v) => change('code', v),
          {
            error: parts.errors[`${path}.code`] ?? parts.errors[path],
            disabled: busy,
          },
        )}
        ${selectControl(
          controlId(`${path}.role`),
          t('patients.form.diagnosisRole'),
          diagnosis.role,
          roles,
          (v) => change('role', v),
          {
            error: parts.errors[`${path}.role`],
            disabled: busy,
          },
        )}
        ${inputControl(
          controlId(`${path}.since`),
          t('patients.form.diagnosisSince'),
          diagnosis.since,
          (v) => change('since', v),
          {
            error: parts.errors[`${path}.since`],
            disabled: busy,
            type: 'date',
          },
        )}
      </div>
      <button
        class="button secondary"
        type="button"
        ?disabled=${busy}
        @click=${() =>
          set(
            'diagnoses',
            draft.diagnoses.filter((_, i) => i !== index),
          )}
      >
        ${t('patients.form.removeDiagnosis', { n: index + 1 })}
      </button>
    </fieldset>`;
  });
  return group(
    parts,
    'record.diagnoses',
    t('patients.form.diagnoses'),
    html`${rows.length === 0 ? html`<p class="muted">${t('patients.form.noDiagnoses')}</p>` : rows}
      ${inputControl('diagnosis-search', t('patients.form.diagnosisSearch'), query, parts.setDiagnosisQuery, {
        type: 'search',
        hint: t('patients.form.diagnosisSearchHint'),
        disabled: busy,
      })}
      <div role="status">
        ${
          query.trim() === ''
            ? nothing
            : found.length === 0
              ? html`<p class="muted">${t('patients.form.diagnosisNoneFound')}</p>`
              : html`<ul class="choices" aria-label=${t('patients.form.diagnosisFound')}>
                  ${found.map(
                    (entry) =>
                      html`<li>
                        <button
                          class="choice"
                          type="button"
                          ?disabled=${busy}
                          @click=${() => addDiagnosis(parts, entry.code)}
                        >
                          <strong>${entry.code}</strong> ${entry.name}
                        </button>
                      </li>`,
                  )}
                </ul>`
        }
      </div>`,
  );
}

export function renderNeeds(parts: FormParts) {
  const { t, draft, busy, set } = parts;
  const choices = (['no', 'unmet', 'met'] as const).map((value) => ({
    value,
    label: t(`patients.needChoice.${value}`),
  }));
  const change = (need: Need, value: string) => set('needs', { ...draft.needs, [need]: value as NeedChoice });
  return group(
    parts,
    'record.needs',
    t('patients.form.needs'),
    html`<div class="form-grid">
      ${NEEDS.map((need) =>
        selectControl(
          `need-${need}`,
          t(`patients.need.${need}`),
          draft.needs[need],
          choices,
          (value) => change(need, value),
          {
            disabled: busy,
          },
        ),
      )}
    </div>`,
  );
}
