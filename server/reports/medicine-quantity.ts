/**
 * How much of a medicament a prescription takes a day, in the units it is dispensed in: pieces (tablets, capsules,
 * suppositories, patches) or millilitres (solutions). The amount per day follows `dailyDose` of common/records
 * (as-needed doses at their prescribed daily maximum). A patch is counted as worn for 72 hours, the usual wear of
 * fentanyl patches, so a 50 µg/h rate of 25 µg/h patches is two patches every three days.
 */
import { dailyDose } from '../../common/records/prescription.ts';
import type { Medicament } from '../../common/reference/types.ts';
import type { PrescriptionRow } from './report-rows.ts';

export type DispensingUnit = 'pcs' | 'ml';
export const PATCH_WEAR_DAYS = 3;

const MG_PER: Partial<Record<string, number>> = { mg: 1, ug: 0.001, g: 1000, mg_per_ml: 1, ug_per_ml: 0.001 };

export type QuantityMedicament = Pick<Medicament, 'strength' | 'strengthUnit'>;

/** The unit the medicament is counted in. */
export function dispensingUnit(medicament: QuantityMedicament): DispensingUnit {
  return medicament.strengthUnit === 'mg_per_ml' || medicament.strengthUnit === 'ug_per_ml' ? 'ml' : 'pcs';
}

/** Units a day, or null when the dose cannot be turned into them (a dose in ml of a tablet). */
export function dailyUnits(p: PrescriptionRow, medicament: QuantityMedicament): number | null {
  const { amount, unit } = dailyDose(p);
  const strengthMg = MG_PER[medicament.strengthUnit];
  const liquid = dispensingUnit(medicament) === 'ml';
  if (medicament.strengthUnit === 'ug_per_h') {
    if (unit === 'ug_per_h') return amount / medicament.strength / PATCH_WEAR_DAYS;
    if (unit === 'unit') return amount / PATCH_WEAR_DAYS;
    return null;
  }
  if (strengthMg === undefined || !(medicament.strength > 0)) return null;
  switch (unit) {
    case 'unit':
      return liquid ? null : amount;
    case 'ml':
      return liquid ? amount : null;
    case 'mg':
    case 'ug':
    case 'g':
      return (amount * (MG_PER[unit] ?? 1)) / (medicament.strength * strengthMg);
    default:
      return null;
  }
}
