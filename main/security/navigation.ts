import { isAppUrl } from './origin';

/**
 * The window's navigation and window-opening policies (Electron's security checklist, items 13 and 14). The
 * shell wires them to `will-navigate`, `will-redirect`, `will-frame-navigate` and `setWindowOpenHandler`; they
 * are plain functions so the tests read the same decisions the app makes.
 */

/** The window may only ever show our own pages: no other origin, no `file://`, no `data:`/`javascript:`. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

export type WindowOpenDecision = {
  action: 'deny';
  /** A link the user followed, to hand to the system browser (`shell.openExternal`); absent: drop it. */
  openExternal?: string;
};

/**
 * `window.open` and `target=_blank` never create an Electron window. An `https:` link (documentation, a
 * provider's pricing page) opens in the system browser; anything else (`http:`, `javascript:`, `file:`,
 * `smb:`, custom schemes that would launch other applications) is dropped, as the reliability bar asks.
 */
export function windowOpenDecision(url: string): WindowOpenDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'deny' };
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || !parsed.hostname)
    return { action: 'deny' };
  return { action: 'deny', openExternal: parsed.href };
}

/**
 * IPC messages are answered only when they come from our own page (the main frame or one of its same-origin
 * frames): a page that somehow got into a frame or a navigation cannot call the studio's operations.
 */
export function isAllowedSender(frameUrl: string | null | undefined): boolean {
  return typeof frameUrl === 'string' && isAppUrl(frameUrl);
}
