import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

export const auditPageStyles = [sharedStyles, adminStyles];
