import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const homePageStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      max-width: 64rem;
      margin: 0 auto;
      padding: 1.5rem 1rem 3rem;
    }
    .roles {
      margin: 0 0 1.5rem;
    }
    nav ul {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
      gap: 1rem;
      margin: 0 0 2rem;
      padding: 0;
      list-style: none;
    }
    nav a {
      display: block;
      min-height: 44px;
      height: 100%;
      padding: 1.25rem;
      border: 1px solid transparent;
      border-radius: var(--rp-radius, 10px);
      background: var(--rp-surface, #fff);
      box-shadow: var(--rp-shadow);
      color: inherit;
      text-decoration: none;
    }
    nav a:hover {
      border-color: var(--rp-primary, #0b5c63);
    }
    nav .title {
      display: block;
      margin: 0 0 0.35rem;
      color: var(--rp-primary, #0b5c63);
      font-size: 1.2rem;
      font-weight: 700;
    }
    nav .soon {
      display: inline-block;
      margin-top: 0.6rem;
      padding: 0.1rem 0.5rem;
      border-radius: 999px;
      background: var(--rp-warning-surface, #fff4d6);
      color: var(--rp-warning, #7a4f00);
      font-size: 0.85rem;
    }
    .settings {
      max-width: 26rem;
    }
    .settings h2 {
      font-size: 1.15rem;
    }
  `,
];
