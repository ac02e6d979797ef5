import { css } from 'lit';
import { formPageStyles, sharedStyles } from '../../styles/shared.styles.ts';

export const passwordChangePageStyles = [
  sharedStyles,
  formPageStyles,
  css`
    .actions {
      display: flex;
      justify-content: flex-end;
      margin-top: 1rem;
    }
  `,
];
