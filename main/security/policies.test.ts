import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from './csp';
import { isAllowedNavigation, isAllowedSender, windowOpenDecision } from './navigation';
import { APP_ENTRY_URL, isAppUrl } from './origin';
import { permissionDecision } from './permissions';
import { windowOptions } from './window-options';

describe('windowOptions', () => {
  const options = windowOptions('/app/out/electron/preload.cjs');
  const prefs = options.webPreferences ?? {};

  it('isolates and sandboxes the renderer, without Node', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.preload).toBe('/app/out/electron/preload.cjs');
  });

  it('never weakens web security or enables experimental features, webviews or spellcheck downloads', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('starts hidden (shown when ready) and takes remembered bounds', () => {
    expect(options.show).toBe(false);
    const placed = windowOptions('/p.cjs', { x: 10, y: 20, width: 900, height: 700 });
    expect([placed.x, placed.y, placed.width, placed.height]).toEqual([10, 20, 900, 700]);
  });
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy();
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('allows only our own origin and never eval', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(directives.get('worker-src')).toContain("'self'"); // Monaco's workers
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('replaces any CSP a response carried, whatever the header case, and keeps the other headers', () => {
    const out = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      'Content-Type': 'text/html',
    });
    expect(out['Content-Security-Policy']).toEqual([csp]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['Content-Type']).toEqual(['text/html']);
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [csp] });
  });
});

describe('navigation', () => {
  it('stays on our own pages', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation('anvil://app/index.html#/projects')).toBe(true);
  });

  it.each([
    'file:///etc/passwd',
    'https://example.com/',
    'http://127.0.0.1:5173/',
    'anvil://other/index.html',
    'anvil://app:80/index.html',
    'anvil://user:pw@app/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'about:blank',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('window.open', () => {
  it('never opens a window; https links go to the system browser', () => {
    expect(windowOpenDecision('https://docs.example.com/a?b=c')).toEqual({
      action: 'deny',
      openExternal: 'https://docs.example.com/a?b=c',
    });
  });

  it.each([
    'http://example.com/',
    'javascript:alert(1)',
    'file:///C:/Windows/system32/calc.exe',
    'smb://attacker/share',
    'ms-msdt:/id PCWDiagnostic',
    'anvil://app/index.html',
    'https://user:pw@example.com/',
    'garbage',
  ])('drops %s', (url) => {
    expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it.each(['media', 'notifications', 'geolocation', 'midiSysex', 'openExternal', 'clipboard-read', 'hid', 'usb'])(
    'denies %s',
    (permission) => expect(permissionDecision(permission)).toBe(false),
  );
  it('allows writing to the clipboard only', () => {
    expect(permissionDecision('clipboard-sanitized-write')).toBe(true);
  });
});

describe('IPC senders', () => {
  it('accepts only frames of our own page', () => {
    expect(isAllowedSender('anvil://app/index.html')).toBe(true);
    expect(isAllowedSender('https://evil.example/')).toBe(false);
    expect(isAllowedSender('file:///tmp/x.html')).toBe(false);
    expect(isAllowedSender('about:blank')).toBe(false);
    expect(isAllowedSender(undefined)).toBe(false);
    expect(isAllowedSender(null)).toBe(false);
  });

  it('compares scheme and host, not URL.origin (which is "null" for every custom scheme)', () => {
    expect(new URL('anvil://evil/x').origin).toBe(new URL('anvil://app/x').origin);
    expect(isAppUrl('anvil://evil/x')).toBe(false);
  });
});
