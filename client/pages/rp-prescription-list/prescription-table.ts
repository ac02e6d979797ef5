/**
 * The table of prescriptions shared by a patient's prescription history and the prescription search: what was
 * prescribed (medicament, form and strength, dose, route, frequency), when (start–end and the status derived from
 * the dates), by whom, on which form and number, and the oral morphine equivalent per day computed from the current
 * reference book. Each row has a labelled checkbox, so prescriptions can be picked for the prescription report.
 */
import { staffName } from '../rp-patient-file/reference-names.ts';
import { html, nothing, type TemplateResult } from 'lit';
import { dailyMorphineEquivalent } from '../../../common/records/prescription.ts';
import { patientIdOf } from '../../../common/records/visit.ts';
import type { Prescription } from '../../../common/records/types.ts';
import type { Medicament } from '../../../common/reference/types.ts';
import type { PrescriptionView } from '../../records/records-api.ts';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import { formatDate } from '../rp-patient-file/care-dates.ts';
import { medicamentLabel } from '../rp-prescription-form/medicaments.ts';
import { formatAmount } from '../rp-prescription-form/prescription-preview.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

export interface PrescriptionTableOptions {
  views: readonly PrescriptionView[];
  medicaments: readonly Medicament[];
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  /** Shown for prescriptions that can still be cancelled, when the member may cancel. */
  onCancel?: ((view: PrescriptionView) => void) | undefined;
  /** With a patient column: names by patient id (a row links to the patient's file). */
  patientNames?: ReadonlyMap<string, string> | undefined;
  onOpenPatient?: ((event: MouseEvent, patientId: string) => void) | undefined;
  caption: string;
  /** Prescribers' names by login (the staff directory). */
  staffNames?: ReadonlyMap<string, string> | undefined;
  t: Translate;
  locale: string;
}

/** Oral morphine mg a day as the table shows it: a number, "no factor", or a dash for non-opioids. */
export function omeText(p: Prescription, medicament: Medicament | null, t: Translate, locale: string): string {
  if (!medicament) return '—';
  const equivalent = dailyMorphineEquivalent(p, medicament);
  if (equivalent.kind === 'equivalent')
    return t('care.ome.value', { mg: formatAmount(equivalent.morphineMgPerDay, locale) });
  if (equivalent.kind === 'no-factor') return medicament.opioidClass === 'none' ? '—' : t('care.ome.noFactor');
  return equivalent.message;
}

/** "2 раза в сутки", "каждые 6 ч", with "по требованию, не более 60 мг в сутки" for as-needed doses. */
export function frequencyText(p: Prescription, t: Translate, locale: string): string {
  const base =
    p.timesPerDay !== undefined
      ? t('care.frequency.times', { count: p.timesPerDay })
      : t('care.frequency.interval', { hours: formatAmount(p.intervalHours ?? 24, locale) });
  if (p.regimen !== 'as-needed') return base;
  const max =
    p.maxDailyDose === undefined
      ? ''
      : t('care.frequency.max', { max: formatAmount(p.maxDailyDose, locale), unit: t(`care.doseUnit.${p.doseUnit}`) });
  return `${t('care.regimen.as-needed')}, ${base}${max ? `, ${max}` : ''}`;
}

export function renderPrescriptionTable(options: PrescriptionTableOptions): TemplateResult {
  const { views, t, locale } = options;
  const medicamentOf = (id: string) => options.medicaments.find((m) => m._id === id) ?? null;
  const allSelected = views.length > 0 && views.every((view) => options.selected.has(view.prescription._id));
  return html`<div class="table-wrap" tabindex="0">
    <table>
      <caption>
        ${options.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="select">
            <label>
              <span class="visually-hidden">${t('care.list.selectAll')}</span>
              <input
                type="checkbox"
                class="select-all"
                .checked=${allSelected}
                ?disabled=${views.length === 0}
                @change=${(event: Event) => options.onToggleAll((event.target as HTMLInputElement).checked)}
              />
            </label>
          </th>
          ${options.patientNames ? html`<th scope="col">${t('care.list.patient')}</th>` : nothing}
          <th scope="col">${t('care.prescription.medicament')}</th>
          <th scope="col">${t('care.prescription.dose')}</th>
          <th scope="col">${t('care.prescription.route')}</th>
          <th scope="col">${t('care.prescription.frequency')}</th>
          <th scope="col">${t('care.list.period')}</th>
          <th scope="col">${t('care.list.status')}</th>
          <th scope="col">${t('care.list.prescriber')}</th>
          <th scope="col">${t('care.list.formAndNumber')}</th>
          <th scope="col">${t('care.prescription.ome')}</th>
          ${options.onCancel ? html`<th scope="col">${t('care.list.actions')}</th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${views.map((view) => {
          const p = view.prescription;
          const medicament = medicamentOf(p.medicamentId);
          const label = medicament ? medicamentLabel(medicament, t) : p.medicamentId;
          const patientId = patientIdOf(p._id) ?? '';
          const form =
            p.prescriptionForm === 'inpatient-sheet' ? t('care.prescriptionForm.inpatient-sheet') : p.prescriptionForm;
          const cancellable = view.displayStatus === 'active' || view.displayStatus === 'planned';
          return html`<tr data-id=${p._id}>
            <td class="select">
              <label>
                <span class="visually-hidden">${t('care.list.select', { name: label })}</span>
                <input
                  type="checkbox"
                  name="selected"
                  value=${p._id}
                  .checked=${options.selected.has(p._id)}
                  @change=${(event: Event) => options.onToggle(p._id, (event.target as HTMLInputElement).checked)}
                />
              </label>
            </td>
            ${
              options.patientNames
                ? html`<td>
                    <a
                      href="/patients/${patientId}"
                      @click=${(event: MouseEvent) => options.onOpenPatient?.(event, patientId)}
                      >${options.patientNames.get(patientId) ?? t('care.list.unknownPatient')}</a
                    >
                  </td>`
                : nothing
            }
            <td>${label}</td>
            <td>${formatAmount(p.dose, locale)} ${t(`care.doseUnit.${p.doseUnit}`)}</td>
            <td>${t(`ref.route.${p.route}`)}</td>
            <td>${frequencyText(p, t, locale)}</td>
            <td>${formatDate(p.start, locale)} – ${p.end ? formatDate(p.end, locale) : t('care.list.openEnded')}</td>
            <td>
              ${t(`care.status.${view.displayStatus}`)}
              ${view.cancellationReason ? html`<br /><span class="muted">${view.cancellationReason}</span>` : nothing}
            </td>
            <td>${staffName(options.staffNames, p.prescriber)}</td>
            <td>${form}${view.number ? html`<br />№ ${view.number}` : nothing}</td>
            <td>${omeText(p, medicament, t, locale)}</td>
            ${
              options.onCancel
                ? html`<td class="actions">
                    ${
                      cancellable
                        ? html`<button
                            class="button secondary small"
                            type="button"
                            aria-label=${t('care.list.cancelOne', { name: label })}
                            @click=${() => options.onCancel?.(view)}
                          >
                            ${t('care.list.cancel')}
                          </button>`
                        : nothing
                    }
                  </td>`
                : nothing
            }
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
