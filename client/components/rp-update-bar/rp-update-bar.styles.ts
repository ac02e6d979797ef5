import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const updateBarStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: 0.5rem 1rem;
      padding: 0.4rem 1rem;
      background: var(--rp-warning-surface, #fff4d6);
      color: var(--rp-text, #1b1f23);
      border-bottom: 1px solid #e0c77a;
    }
    .bar p {
      margin: 0;
      font-weight: 600;
    }
  `,
];
