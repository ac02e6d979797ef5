import { css } from 'lit';
import { patientFormStyles } from '../rp-patient-form/rp-patient-form.styles.ts';

/** The search form above a results table that scrolls sideways on a tablet; a colour per status. */
export const patientSearchStyles = [
  ...patientFormStyles,
  css`
    .toolbar {
      justify-content: space-between;
      align-items: center;
    }
    .toolbar h2 {
      margin: 0;
    }
    details {
      margin: 0 0 1rem;
    }
    summary {
      min-height: 44px;
      display: flex;
      align-items: center;
      font-weight: 600;
      cursor: pointer;
    }
    th[scope='row'] {
      background: none;
      font-weight: normal;
    }
    th[scope='row'] a {
      font-weight: 600;
    }
    td.actions {
      min-width: 16rem;
    }
    td.actions .button {
      min-height: 44px;
    }
    .badge.status-pending {
      background: #fff4d6;
      color: #5c4200;
    }
    .badge.status-deceased,
    .badge.status-excluded,
    .badge.status-transferred {
      background: #eceff1;
      color: var(--rp-text-muted, #4a555e);
    }
  `,
];
