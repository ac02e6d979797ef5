/**
 * Styles shared by the administrator's pages: toolbars of filters, tables that scroll sideways on a tablet,
 * groups of checkboxes with 44 px rows, status badges and the confirmation dialog.
 */
import { css } from 'lit';

export const adminStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: 1.3rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.75rem;
    margin: 0 0 1rem;
  }
  .toolbar .field {
    margin: 0;
    flex: 1 1 12rem;
  }
  .toolbar .button {
    flex: none;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.95rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding: 0 0 0.5rem;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.5rem;
    border-bottom: 1px solid var(--rp-border-light, #d5dbe0);
  }
  th {
    font-weight: 600;
    background: var(--rp-primary-light, #e3f1f2);
  }
  /* Buttons flow inside the cell; a flex cell would leave the table's row lines out of step. */
  td.actions .button {
    margin: 0 0.4rem 0.4rem 0;
  }
  .button.small {
    padding: 0.35rem 0.75rem;
    font-size: 0.95rem;
  }
  .button.danger {
    background: var(--rp-error, #b3261e);
    border-color: var(--rp-error, #b3261e);
  }
  fieldset {
    border: 1px solid var(--rp-border, #6b7780);
    border-radius: 6px;
    margin: 0 0 1rem;
    padding: 0.5rem 0.75rem;
  }
  fieldset[aria-invalid='true'] {
    border: 2px solid var(--rp-error, #b3261e);
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-height: 44px;
    font-weight: normal;
    margin: 0;
    cursor: pointer;
  }
  .check input {
    width: 1.4rem;
    height: 1.4rem;
    min-height: 0;
    margin: 0;
    flex: none;
  }
  .form-grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    gap: 0 1rem;
  }
  .form-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    margin: 0.5rem 0 0;
  }
  .badge {
    display: inline-block;
    padding: 0.1rem 0.5rem;
    margin: 0 0.25rem 0.25rem 0;
    border-radius: 6px;
    font-size: 0.85rem;
    background: var(--rp-primary-light, #e3f1f2);
    color: var(--rp-text, #1b1f23);
  }
  .badge.warn {
    background: #fff4d6;
    color: #5c4200;
  }
  .badge.off {
    background: #eceff1;
    color: var(--rp-text-muted, #4a555e);
  }
  .secret {
    font-family: ui-monospace, 'Roboto Mono', monospace;
    font-size: 1.25rem;
    letter-spacing: 0.05em;
  }
  .panel {
    margin: 0 0 1.25rem;
  }
  section.panel:not(.card) {
    margin-top: 1.5rem;
  }
  dialog {
    border: none;
    border-radius: var(--rp-radius, 10px);
    padding: 1.5rem;
    max-width: 28rem;
    box-shadow: var(--rp-shadow);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 40%);
  }
  progress {
    width: 100%;
    height: 1.25rem;
  }
  textarea {
    display: block;
    width: 100%;
    min-height: 5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--rp-border, #6b7780);
    border-radius: 6px;
    font: inherit;
  }
`;
