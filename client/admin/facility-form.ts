/**
 * Checks of the facility form before anything is sent; message keys per field.
 */
import { isFacilityId } from '../../common/roles.ts';
import type { MessageKey } from '../i18n/i18n.ts';

export interface FacilityFormValues {
  id: string;
  name: string;
  shortName: string;
  districtId: string;
}

export type FacilityField = keyof FacilityFormValues;
export type FacilityFormErrors = Partial<Record<FacilityField, MessageKey>>;

export function validateFacilityForm(
  values: FacilityFormValues,
  existingIds: readonly string[] = [],
): FacilityFormErrors {
  const errors: FacilityFormErrors = {};
  if (values.id === '') errors.id = 'admin.facilities.error.idRequired';
  else if (!isFacilityId(values.id)) errors.id = 'admin.facilities.error.idFormat';
  else if (existingIds.includes(values.id)) errors.id = 'admin.facilities.error.idTaken';
  if (values.name.trim() === '') errors.name = 'admin.facilities.error.nameRequired';
  else if (values.name.trim().length > 200) errors.name = 'admin.facilities.error.nameTooLong';
  if (values.shortName.trim().length > 60) errors.shortName = 'admin.facilities.error.shortNameTooLong';
  return errors;
}
