import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const sectionPageStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      max-width: 64rem;
      margin: 0 auto;
      padding: 1.5rem 1rem 3rem;
    }
    .card p {
      margin: 0 0 1.25rem;
    }
  `,
];
