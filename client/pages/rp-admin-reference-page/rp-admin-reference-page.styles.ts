import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

export const referencePageStyles = [
  sharedStyles,
  adminStyles,
  css`
    .books {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin: 0 0 1rem;
    }
    .books .button[aria-pressed='false'] {
      background: transparent;
      color: var(--rp-primary, #0b5c63);
    }
  `,
];
