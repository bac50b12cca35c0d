import type { Session, Shell, WebContents } from 'electron';
import { withContentSecurityPolicy } from '../security/csp';
import { isAllowedNavigation, windowOpenDecision } from '../security/navigation';
import { permissionDecision } from '../security/permissions';

/**
 * Wires the pure policies of `main/security/` to Electron's objects. Nothing is decided here: every decision
 * is one of those functions, which the tests call directly.
 */

/** Permissions and the CSP for every response of the session (our protocol sets it too; this covers all). */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  session.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}

/** Every web contents (the window, and anything it might try to create): no leaving our pages, no new windows. */
export function hardenContents(contents: WebContents, shell: Pick<Shell, 'openExternal'>): void {
  const guard = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternal) void shell.openExternal(decision.openExternal).catch(() => undefined);
    return { action: decision.action };
  });
}
