import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const appStyles = [
  sharedStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
      min-height: 100dvh;
    }
    main {
      flex: 1;
    }
    main:focus {
      outline: none;
    }
    .skip {
      position: absolute;
      left: 0.5rem;
      top: -4rem;
      z-index: 10;
      padding: 0.6rem 1rem;
      background: var(--rp-surface, #fff);
      color: var(--rp-primary, #0b5c63);
      border-radius: 6px;
    }
    .skip:focus {
      top: 0.5rem;
    }
    .loading {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 0.75rem;
      padding: 4rem 1rem;
      color: var(--rp-text-muted, #4a555e);
    }
    .spinner {
      width: 1.5rem;
      height: 1.5rem;
      border: 3px solid var(--rp-primary-light, #e3f1f2);
      border-top-color: var(--rp-primary, #0b5c63);
      border-radius: 50%;
      animation: spin 0.9s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
  `,
];
