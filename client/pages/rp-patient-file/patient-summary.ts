/**
 * The two summaries at the top of a patient's file: the passport (who the patient is and how to reach the family)
 * and the medical record with its dated histories — status, care setting and needs — newest first, so a nurse sees
 * what is true now and what changed. Everything typed by people is rendered as text, never as markup.
 */
import { html, nothing } from 'lit';
import type {
  CareSettingEntry,
  Contact,
  NeedsEntry,
  PassportData,
  StatusEntry,
} from '../../../common/records/types.ts';
import type { PatientFile } from '../../records/records-api.ts';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import { ageOn, formatDate } from './care-dates.ts';
import type { ReferenceNames } from './reference-names.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** `112-233-445 95` whatever way the digits were stored. */
export function formatSnils(snils: string): string {
  const digits = snils.replace(/\D/g, '');
  if (digits.length !== 11) return snils;
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}`;
}

function contact(person: Contact) {
  return html`<li>
    ${person.name}
    (${person.relation})${person.phone ? html`, <a href="tel:${person.phone}">${person.phone}</a>` : nothing}
  </li>`;
}

export function renderPassport(passport: PassportData, today: string, t: Translate, locale: string) {
  const age = ageOn(passport.birthDate, today);
  return html`<dl class="summary">
    <div>
      <dt>${t('care.passport.birthDate')}</dt>
      <dd>${formatDate(passport.birthDate, locale)} (${t('care.passport.age', { age })})</dd>
    </div>
    <div>
      <dt>${t('care.passport.sex')}</dt>
      <dd>${t(`care.sex.${passport.sex}`)}</dd>
    </div>
    <div>
      <dt>${t('care.passport.snils')}</dt>
      <dd>${passport.snils ? formatSnils(passport.snils) : '—'}</dd>
    </div>
    <div>
      <dt>${t('care.passport.phones')}</dt>
      <dd>
        ${
          passport.phones.length === 0
            ? '—'
            : passport.phones.map((phone, i) => html`${i > 0 ? ', ' : ''}<a href="tel:${phone}">${phone}</a>`)
        }
      </dd>
    </div>
    ${
      passport.address
        ? html`<div>
            <dt>${t('care.passport.address')}</dt>
            <dd>${passport.address.text}</dd>
          </div>`
        : nothing
    }
    <div>
      <dt>${t('care.passport.caregivers')}</dt>
      <dd>
        ${
          passport.caregivers.length === 0
            ? '—'
            : html`<ul class="history">
                ${passport.caregivers.map(contact)}
              </ul>`
        }
      </dd>
    </div>
    ${
      passport.legalRepresentative
        ? html`<div>
            <dt>${t('care.passport.legalRepresentative')}</dt>
            <dd>
              <ul class="history">
                ${contact(passport.legalRepresentative)}
              </ul>
            </dd>
          </div>`
        : nothing
    }
  </dl>`;
}

function statusText(entry: StatusEntry, note: string | undefined, t: Translate, locale: string): string {
  const parts = [t(`care.patientStatus.${entry.status}`)];
  if (entry.reason) parts.push(t(`care.exclusion.${entry.reason}`));
  if (entry.death) {
    parts.push(
      t('care.death', { date: formatDate(entry.death.date, locale), place: t(`care.deathPlace.${entry.death.place}`) }),
    );
    if (entry.death.causeCode) parts.push(entry.death.causeCode);
  }
  if (entry.transferredTo) parts.push(t('care.transferredTo', { facility: entry.transferredTo }));
  if (note) parts.push(note);
  return parts.join(' — ');
}

function needsText(entry: NeedsEntry, t: Translate): string {
  const needed = Object.entries(entry.needs).filter(([, state]) => state?.needed);
  if (needed.length === 0) return t('care.needs.none');
  return needed
    .map(
      ([need, state]) =>
        `${t(`care.need.${need}` as MessageKey)} (${t(state?.met ? 'care.needs.met' : 'care.needs.unmet')})`,
    )
    .join('; ');
}

/** A dated history, newest first; the entry in force is the first. */
function history<T extends { from: string }>(
  entries: readonly T[],
  text: (entry: T, index: number) => string,
  locale: string,
) {
  const indexed = entries.map((entry, index) => ({ entry, index })).reverse();
  return html`<ol class="history" reversed>
    ${indexed.map(({ entry, index }) => html`<li>${formatDate(entry.from, locale)}: ${text(entry, index)}</li>`)}
  </ol>`;
}

/** The name of a code, or of its category when the reference book holds only the category (`C34.1` → `C34`). */
export function diagnosisName(names: ReferenceNames, code: string): string {
  return names.diagnoses.get(code) ?? names.diagnoses.get(code.split('.')[0] ?? code) ?? '';
}

export function renderRecord(file: PatientFile, names: ReferenceNames, t: Translate, locale: string) {
  const record = file.record;
  return html`<dl class="summary">
    <div>
      <dt>${t('care.record.status')}</dt>
      <dd>
        ${history(record.statusHistory, (entry, index) => statusText(entry, file.statusNotes[index], t, locale), locale)}
      </dd>
    </div>
    <div>
      <dt>${t('care.record.diseaseGroup')}</dt>
      <dd>${t(`care.diseaseGroup.${record.diseaseGroup}`)}</dd>
    </div>
    <div>
      <dt>${t('care.record.diagnoses')}</dt>
      <dd>
        <ul class="history">
          ${record.diagnoses.map(
            (diagnosis) =>
              html`<li>
                <strong>${diagnosis.code}</strong> ${diagnosisName(names, diagnosis.code)}
                <span class="muted"
                  >(${t(`care.diagnosisRole.${diagnosis.role}`)}${
                    diagnosis.since ? `, ${t('care.since', { date: formatDate(diagnosis.since, locale) })}` : ''
                  })</span
                >
              </li>`,
          )}
        </ul>
      </dd>
    </div>
    <div>
      <dt>${t('care.record.careSetting')}</dt>
      <dd>
        ${history<CareSettingEntry>(record.careSettingHistory, (entry) => t(`care.setting.${entry.setting}`), locale)}
      </dd>
    </div>
    <div>
      <dt>${t('care.record.needs')}</dt>
      <dd>${history(record.needsHistory, (entry) => needsText(entry, t), locale)}</dd>
    </div>
    <div>
      <dt>${t('care.record.caregiver')}</dt>
      <dd>${t(`care.caregiver.${record.caregiver}`)}</dd>
    </div>
    <div>
      <dt>${t('care.record.district')}</dt>
      <dd>${names.districts.get(record.districtId) ?? record.districtId}</dd>
    </div>
    <div>
      <dt>${t('care.record.inclusion')}</dt>
      <dd>${formatDate(record.inclusionDate, locale)} — ${t(`care.eligibility.${record.eligibility}`)}</dd>
    </div>
  </dl>`;
}
