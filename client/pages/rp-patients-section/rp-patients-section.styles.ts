import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

/** The section frame: the facility choice above the page, a back link with a 44 px target. */
export const patientsSectionStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
      padding: 1.5rem 1rem 3rem;
      max-width: 72rem;
      margin: 0 auto;
    }
    .facility {
      max-width: 24rem;
    }
    a.back {
      display: inline-flex;
      align-items: center;
      min-height: 44px;
    }
  `,
];
