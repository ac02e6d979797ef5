import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.ts';

export const syncIndicatorStyles = [
  sharedStyles,
  css`
    :host {
      display: inline-flex;
    }
    .state {
      display: inline-flex;
      align-items: center;
      gap: 0.45rem;
      min-height: 44px;
      margin: 0;
      font-size: 0.95rem;
    }
    a {
      display: inline-flex;
      align-items: center;
      gap: 0.45rem;
      min-height: 44px;
      color: inherit;
    }
    .dot {
      width: 0.7rem;
      height: 0.7rem;
      border-radius: 50%;
      flex: none;
      background: #9aa5ab;
      box-shadow: 0 0 0 2px rgb(255 255 255 / 70%);
    }
    [data-kind='up-to-date'] .dot {
      background: #3fbf6b;
    }
    [data-kind='pending'] .dot,
    [data-kind='connecting'] .dot {
      background: #f2c14e;
    }
    [data-kind='offline'] .dot {
      background: #c9d1d5;
      border: 2px solid #6b7780;
    }
    [data-kind='error'] .dot {
      background: #ff6b5e;
    }
  `,
];
