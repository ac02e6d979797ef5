import { patientFormStyles } from '../rp-patient-form/rp-patient-form.styles.ts';

export const statusChangeStyles = patientFormStyles;
