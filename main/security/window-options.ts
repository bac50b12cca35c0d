import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/**
 * The options of the studio's one window. Every web preference the security checklist names is spelled out
 * (rather than left to defaults that changed across Electron versions) so the test reads exactly what the
 * app passes: an isolated, sandboxed renderer without Node, with web security on, no `<webview>`, no
 * experimental or Blink features, no insecure content. The preload is the only bridge (`contextBridge`).
 */
export function windowOptions(preloadPath: string, bounds?: WindowBounds): BrowserWindowConstructorOptions {
  return {
    ...(bounds ?? { width: 1280, height: 800 }),
    minWidth: 720,
    minHeight: 480,
    title: 'Anvil',
    // Shown on `ready-to-show`, so the first paint is the app, not a white rectangle.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      plugins: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: true,
    },
  };
}
