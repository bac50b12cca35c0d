/**
 * The studio's Content Security Policy, the same in the desktop app and the browser mode: everything from
 * our own origin, nothing from anywhere else (no CDN, no remote fonts, no analytics). Monaco needs inline
 * styles (it injects them at run time) and workers from blob: URLs in some builds; nothing needs eval.
 * `connect-src 'self'` covers the WebSocket back to the same host and port in browser mode.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The response headers with our CSP in place of any the response carried (header names compared without
 * case, since Chromium hands them over as the server spelled them). The desktop shell applies this to every
 * response of its session through `session.webRequest.onHeadersReceived`.
 */
export function withContentSecurityPolicy(
  headers: Record<string, string | string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [contentSecurityPolicy()];
  return out;
}
