/**
 * Printing the administrator's two documents. The builders, pdfmake and the QR code library are loaded by dynamic
 * import only here, so none of them is in the first load of the register.
 */
import type { EnrolmentSlip } from './enrolment-slip.ts';
import type { RecoverySheet } from './recovery-sheet.ts';

export async function printEnrolmentSlip(slip: EnrolmentSlip): Promise<void> {
  const [{ enrolmentSlipDefinition, enrolmentSlipFileName }, { downloadPdf }] = await Promise.all([
    import('./enrolment-slip.ts'),
    import('./pdf.ts'),
  ]);
  await downloadPdf(enrolmentSlipDefinition(slip), enrolmentSlipFileName(slip.login));
}

export async function printRecoverySheet(sheet: RecoverySheet): Promise<void> {
  const [{ recoverySheetDefinition, recoverySheetFileName }, { downloadPdf }] = await Promise.all([
    import('./recovery-sheet.ts'),
    import('./pdf.ts'),
  ]);
  await downloadPdf(recoverySheetDefinition(sheet), recoverySheetFileName(sheet.facilityId));
}
