import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const languageSwitchStyles = [
  sharedStyles,
  css`
    :host {
      display: inline-flex;
    }
    .group {
      display: inline-flex;
      border: 2px solid currentColor;
      border-radius: 8px;
      overflow: hidden;
    }
    button {
      min-width: 44px;
      min-height: 40px;
      padding: 0 0.6rem;
      border: 0;
      background: transparent;
      color: inherit;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: var(--rp-on-primary, #fff);
      color: var(--rp-primary, #0b5c63);
    }
    button:focus-visible {
      outline-offset: -4px;
    }
  `,
];
