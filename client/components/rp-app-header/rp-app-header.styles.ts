import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const appHeaderStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      background: var(--rp-primary, #0b5c63);
      color: var(--rp-on-primary, #fff);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      max-width: 64rem;
      margin: 0 auto;
      padding: 0.4rem 1rem;
    }
    .brand {
      display: inline-flex;
      align-items: center;
      gap: 0.6rem;
      min-height: 44px;
      margin-right: auto;
      color: inherit;
      font-size: 1.1rem;
      font-weight: 700;
      text-decoration: none;
    }
    .brand img {
      width: 32px;
      height: 32px;
      border-radius: 6px;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .button.on-primary {
      border-color: var(--rp-on-primary, #fff);
      background: transparent;
      color: var(--rp-on-primary, #fff);
    }
    .button.on-primary:hover {
      background: rgb(255 255 255 / 15%);
      border-color: var(--rp-on-primary, #fff);
    }
    :focus-visible {
      outline-color: #ffd34d;
    }
  `,
];
