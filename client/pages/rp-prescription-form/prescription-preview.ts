/**
 * The computed part of the prescription form: the daily dose, the oral morphine equivalent per day ("no factor"
 * when the reference book gives none, with its reason — never a zero that would hide an opioid from the totals)
 * and the warnings. It is a live region, so a screen reader hears a warning appear while the dose is typed.
 */
import { html, nothing } from 'lit';
import type { Medicament } from '../../../common/reference/types.ts';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import type { PrescriptionPreview } from './prescription-form-values.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A number as the language writes it, at most two decimals. */
export function formatAmount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

export function renderPreview(
  preview: PrescriptionPreview,
  medicament: Medicament | null,
  t: Translate,
  locale: string,
) {
  const daily = preview.daily;
  const equivalent = preview.equivalent;
  let ome: string | null = null;
  if (medicament && daily) {
    if (!equivalent) ome = t('care.ome.notOpioid');
    else if (equivalent.kind === 'no-factor') ome = t('care.ome.noFactor');
    else if (equivalent.kind === 'invalid') ome = equivalent.message;
    else ome = t('care.ome.value', { mg: formatAmount(equivalent.morphineMgPerDay, locale) });
  }
  return html`<div class="preview" id="preview" aria-live="polite">
    <p>
      <strong>${t('care.prescription.dailyDose')}:</strong>
      ${daily ? `${formatAmount(daily.amount, locale)} ${t(`care.doseUnit.${daily.unit}`)}` : '—'}
    </p>
    <p id="ome">
      <strong>${t('care.prescription.ome')}:</strong> ${ome ?? '—'}
      ${
        equivalent?.kind === 'no-factor' && medicament?.factorSource
          ? html`<span class="muted">(${medicament.factorSource})</span>`
          : nothing
      }
    </p>
    ${preview.warnings.map(
      (warning) =>
        html`<p class="alert warn warning">
          ${
            warning.kind === 'dose-above-usual'
              ? t('care.warning.doseAboveUsual', {
                  mg: formatAmount(warning.morphineMgPerDay, locale),
                  usual: formatAmount(warning.usualMaxMg, locale),
                })
              : t('care.warning.twoLongActing')
          }
        </p>`,
    )}
  </div>`;
}
