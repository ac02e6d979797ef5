/**
 * The summary-report page: the register's shared styles and the administrator's tables, fieldsets and checkbox
 * rows, plus the preset buttons, the progress while the report builds and the figures' indentation.
 */
import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

const reportsOnly = css`
  :host {
    display: block;
    padding: 1.5rem 1rem 3rem;
    max-width: 72rem;
    margin: 0 auto;
  }
  .presets,
  .toggles {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0 0 0.75rem;
  }
  .presets .button[aria-pressed='true'] {
    background: var(--rp-primary, #0b5c63);
    color: var(--rp-on-primary, #fff);
  }
  .checks {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
    gap: 0 1rem;
  }
  .formats {
    display: flex;
    flex-wrap: wrap;
    gap: 0 1.5rem;
  }
  .days {
    max-width: 30rem;
  }
  .days input {
    max-width: 10rem;
  }
  .hint {
    margin: 0.3rem 0 0;
    font-size: 0.95rem;
  }
  .building {
    margin: 1rem 0;
  }
  .building .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75rem;
    margin: 0.5rem 0 0;
  }
  .result {
    margin: 1rem 0;
  }
  .figures-block {
    margin: 1.5rem 0 0;
  }
  .figures-block .table-wrap {
    margin: 0 0 1.5rem;
  }
  table.figures td {
    text-align: right;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  table.figures thead th:not(:first-child) {
    text-align: right;
  }
  table.figures th[scope='row'] {
    background: transparent;
    font-weight: normal;
  }
  table.figures th.level-0 {
    font-weight: 600;
  }
  table.figures th.level-1 {
    padding-left: 1.5rem;
  }
  table.figures th.level-2 {
    padding-left: 2.5rem;
  }
  .unit {
    color: var(--rp-text-muted, #4a555e);
  }
  td.hidden-cell {
    color: var(--rp-text-muted, #4a555e);
    font-style: italic;
  }
  .notes {
    padding-left: 1.25rem;
  }
`;

export const reportsPageStyles = [sharedStyles, adminStyles, reportsOnly];
