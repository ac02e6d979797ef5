import { css } from 'lit';
import { formPageStyles, sharedStyles } from '../../styles/shared.styles.ts';

export const loginPageStyles = [
  sharedStyles,
  formPageStyles,
  css`
    .intro {
      margin: 0 0 1.25rem;
    }
  `,
];
