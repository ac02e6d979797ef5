import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const passwordStrengthStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      margin: -0.25rem 0 1rem;
    }
    .bar {
      display: grid;
      grid-template-columns: repeat(4, 1fr);
      gap: 4px;
      margin: 0 0 0.3rem;
    }
    .bar span {
      height: 6px;
      border-radius: 3px;
      background: #d5dcdf;
    }
    .bar[data-score='1'] span:nth-child(-n + 1),
    .bar[data-score='2'] span:nth-child(-n + 2) {
      background: var(--rp-error, #b3261e);
    }
    .bar[data-score='3'] span:nth-child(-n + 3),
    .bar[data-score='4'] span {
      background: var(--rp-success, #1d6b36);
    }
    .text {
      margin: 0;
      font-size: 0.95rem;
    }
  `,
];
