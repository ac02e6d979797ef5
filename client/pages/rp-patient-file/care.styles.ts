/**
 * Styles shared by the care pages (patient file, visit and prescription forms, prescription lists): the register's
 * shared styles and the administrator's tables, fieldsets and checkbox rows, plus warnings, summaries as definition
 * lists and the compact number inputs of the scales.
 */
import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

const careOnly = css`
  .alert.warn {
    border-left-color: #8a6100;
    background: #fff4d6;
  }
  .summary {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: 0.25rem 1.5rem;
    margin: 0 0 1rem;
  }
  .summary dt {
    font-weight: 600;
    margin: 0.4rem 0 0;
  }
  .summary dd {
    margin: 0;
  }
  .scales {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
    gap: 0 1rem;
  }
  .checks {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
    gap: 0 1rem;
  }
  .hint {
    margin: 0.3rem 0 0;
    font-size: 0.95rem;
  }
  .preview {
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
    border-radius: 6px;
    background: var(--rp-primary-light, #e3f1f2);
  }
  .preview p {
    margin: 0.2rem 0;
  }
  .history {
    margin: 0;
    padding-left: 1.2rem;
  }
  td.select,
  th.select {
    width: 3rem;
  }
  td.select input {
    width: 1.4rem;
    height: 1.4rem;
    min-height: 0;
  }
  td.select label {
    display: flex;
    align-items: center;
    justify-content: center;
    min-width: 44px;
    min-height: 44px;
    margin: 0;
  }
  section {
    margin: 0 0 1.5rem;
  }
`;

export const careStyles = [sharedStyles, adminStyles, careOnly];
