import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

/** Shared by the patient pages: form sections as cards, rows with a remove button, picked diagnoses. */
export const patientPageStyles = css`
  section.card {
    margin: 0 0 1.25rem;
  }
  fieldset.nested {
    border-style: dashed;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.75rem;
  }
  .row .field {
    flex: 1 1 14rem;
  }
  .row .button {
    margin: 0 0 1rem;
  }
  .hint {
    margin: 0.3rem 0 0;
    font-size: 0.95rem;
  }
  .diagnosis-name {
    margin: 0 0 0.5rem;
  }
  ul.choices {
    list-style: none;
    margin: 0 0 1rem;
    padding: 0;
  }
  button.choice {
    display: block;
    width: 100%;
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    margin: 0 0 0.25rem;
    border: 1px solid var(--rp-border-light, #d5dbe0);
    border-radius: 6px;
    background: var(--rp-surface, #fff);
    color: inherit;
    font: inherit;
    text-align: left;
    cursor: pointer;
  }
  button.choice:hover {
    background: var(--rp-primary-light, #e3f1f2);
  }
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border: 2px solid var(--rp-error, #b3261e);
  }
`;

export const patientFormStyles = [sharedStyles, adminStyles, patientPageStyles];
