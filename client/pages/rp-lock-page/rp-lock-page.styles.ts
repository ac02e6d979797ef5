import { css } from 'lit';
import { formPageStyles, sharedStyles } from '../../styles/shared.styles.ts';

export const lockPageStyles = [
  sharedStyles,
  formPageStyles,
  css`
    .lock-icon {
      display: block;
      width: 3rem;
      height: 3rem;
      margin: 0 0 0.75rem;
      color: var(--rp-primary, #0b5c63);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      margin-top: 1rem;
    }
  `,
];
