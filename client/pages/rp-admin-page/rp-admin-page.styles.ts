import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const adminPageStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      padding: 1.5rem 1rem;
      max-width: 72rem;
      margin: 0 auto;
    }
    [role='tablist'] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      border-bottom: 2px solid var(--rp-primary, #0b5c63);
      margin: 0 0 1rem;
    }
    [role='tab'] {
      min-height: 44px;
      min-width: 44px;
      padding: 0.5rem 1rem;
      border: 2px solid transparent;
      border-bottom: none;
      border-radius: 8px 8px 0 0;
      background: transparent;
      color: var(--rp-primary, #0b5c63);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    [role='tab'][aria-selected='true'] {
      background: var(--rp-primary, #0b5c63);
      color: var(--rp-on-primary, #fff);
    }
    [role='tab']:hover:not([aria-selected='true']) {
      background: var(--rp-primary-light, #e3f1f2);
    }
    [role='tabpanel'] {
      padding: 0.25rem 0;
    }
  `,
];
