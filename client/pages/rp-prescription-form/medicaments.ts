/**
 * The medicament reference book as the prescription pages use it: read from the member's reference replica,
 * searched as a doctor types (INN in Russian or Latin, a trade name, an ATC code prefix; case-folded, ё = е, every
 * word a prefix of some word of the entry), and labelled the way a prescription names a medicine: INN, form and
 * strength. Deactivated entries stay findable by id, because old prescriptions refer to them.
 */
import { isMedicament, type Medicament } from '../../../common/reference/types.ts';
import { foldText } from '../../../common/reference/icd10-search.ts';
import type { PrescriptionForm } from '../../../common/records/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Every medicament of the reference book, in id order; documents that fail the shared validation are skipped. */
export async function loadMedicaments(reference: ReferenceStore): Promise<Medicament[]> {
  return (await reference.list('medicament:')).filter(isMedicament);
}

function wordsOf(text: string): string[] {
  return foldText(text)
    .split(/[^0-9a-zа-я]+/)
    .filter((word) => word !== '');
}

/**
 * The active medicaments answering `query`, INN order. A query that looks like an ATC code (`N02A`) matches
 * codes starting with it; otherwise every word must start a word of the INN, the Latin INN or a trade name.
 */
export function searchMedicaments(medicaments: readonly Medicament[], query: string): Medicament[] {
  const trimmed = query.trim();
  const active = medicaments.filter((m) => m.active);
  if (trimmed === '') return active;
  const atc = /^[a-z]\d{0,2}[a-z]{0,2}\d{0,2}$/i.test(trimmed) ? trimmed.toUpperCase() : null;
  const terms = wordsOf(trimmed);
  return active
    .filter((m) => {
      if (atc && m.atcCode.startsWith(atc)) return true;
      const words = wordsOf([m.innRu, m.innLatin, ...m.tradeNames].join(' '));
      return terms.length > 0 && terms.every((term) => words.some((word) => word.startsWith(term)));
    })
    .sort((a, b) => a.innRu.localeCompare(b.innRu, 'ru') || a.strength - b.strength);
}

/** `Морфин, таблетки пролонгированного действия 30 мг`. */
export function medicamentLabel(medicament: Medicament, t: Translate): string {
  const form = t(`ref.form.${medicament.form}` as MessageKey);
  const unit = t(`ref.unit.${medicament.strengthUnit}` as MessageKey);
  return `${medicament.innRu}, ${form} ${String(medicament.strength)} ${unit}`;
}

/**
 * The prescription form a medicament usually needs (Orders No. 1094n and 54n): 107/у-НП for narcotic drugs of
 * List II, 148-1/у-88 for other controlled, psychotropic and potent substances, 107-1/у otherwise. A default only:
 * the doctor may choose another (a subsidised form, an inpatient sheet).
 */
export function usualPrescriptionForm(medicament: Medicament): PrescriptionForm {
  if (medicament.narcotic && medicament.controlList === 'II') return '107/у-НП';
  if (medicament.narcotic || medicament.psychotropic || medicament.potent) return '148-1/у-88';
  return '107-1/у';
}
