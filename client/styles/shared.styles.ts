/**
 * Styles shared by the register's elements: buttons and inputs with 44 px touch targets, a visible focus ring,
 * cards, alerts. Colours come from the custom properties in global.css.
 */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  :focus-visible {
    outline: 3px solid var(--rp-focus, #1a5fd0);
    outline-offset: 2px;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h1 {
    font-size: 1.6rem;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1.1rem;
    border: 2px solid var(--rp-primary, #0b5c63);
    border-radius: 8px;
    background: var(--rp-primary, #0b5c63);
    color: var(--rp-on-primary, #fff);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  .button:hover:not(:disabled) {
    background: var(--rp-primary-dark, #073f44);
    border-color: var(--rp-primary-dark, #073f44);
  }
  .button.secondary {
    background: transparent;
    color: var(--rp-primary, #0b5c63);
  }
  .button.secondary:hover:not(:disabled) {
    background: var(--rp-primary-light, #e3f1f2);
    color: var(--rp-primary-dark, #073f44);
  }
  .button.danger {
    background: var(--rp-danger, #a4262c);
    border-color: var(--rp-danger, #a4262c);
    color: #fff;
  }
  .button.danger:hover:not(:disabled) {
    background: #7c1c21;
    border-color: #7c1c21;
  }
  .button:disabled {
    opacity: 0.65;
    cursor: progress;
  }
  .field {
    margin: 0 0 1rem;
  }
  label {
    display: block;
    font-weight: 600;
    margin: 0 0 0.3rem;
  }
  input,
  select {
    display: block;
    width: 100%;
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--rp-border, #6b7780);
    border-radius: 6px;
    background: var(--rp-surface, #fff);
    color: inherit;
    font: inherit;
  }
  input[aria-invalid='true'] {
    border: 2px solid var(--rp-error, #b3261e);
  }
  .field-error {
    color: var(--rp-error, #b3261e);
    margin: 0.3rem 0 0;
    font-size: 0.95rem;
  }
  .alert {
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
    border-left: 4px solid var(--rp-error, #b3261e);
    border-radius: 4px;
    background: var(--rp-error-surface, #fdecea);
    color: var(--rp-text, #1b1f23);
  }
  .alert.info {
    border-left-color: var(--rp-primary, #0b5c63);
    background: var(--rp-primary-light, #e3f1f2);
  }
  .card {
    background: var(--rp-surface, #fff);
    border-radius: var(--rp-radius, 10px);
    box-shadow: var(--rp-shadow);
    padding: 1.5rem;
  }
  .muted {
    color: var(--rp-text-muted, #4a555e);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** The narrow centred card of the login, password-change and lock pages. */
export const formPageStyles = css`
  :host {
    display: block;
    padding: 2rem 1rem;
  }
  .card {
    max-width: 26rem;
    margin: 0 auto;
  }
  form .button[type='submit'] {
    width: 100%;
    margin-top: 0.5rem;
  }
  .progress {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    margin: 1rem 0 0;
    color: var(--rp-text-muted, #4a555e);
  }
  .spinner {
    width: 1.25rem;
    height: 1.25rem;
    border: 3px solid var(--rp-primary-light, #e3f1f2);
    border-top-color: var(--rp-primary, #0b5c63);
    border-radius: 50%;
    animation: spin 0.9s linear infinite;
    flex: none;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
