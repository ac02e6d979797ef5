/**
 * In-app navigation: links are real `<a href>` elements (they work with the keyboard, middle-click and
 * "open in new tab"); a plain click is turned into an `rp-navigate` event that rp-app handles with the
 * History API.
 */
export interface NavigateDetail {
  path: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'rp-navigate': CustomEvent<NavigateDetail>;
  }
}

/** Click handler for an in-app link: lets the browser handle modified clicks, else fires `rp-navigate`. */
export function followLink(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  event.preventDefault();
  event.currentTarget?.dispatchEvent(
    new CustomEvent<NavigateDetail>('rp-navigate', { detail: { path }, bubbles: true, composed: true }),
  );
}
