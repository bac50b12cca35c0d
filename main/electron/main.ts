/**
 * The Electron entry (bundled to `out/electron/main.cjs` by `build.ts`; run by the launcher as
 * `electron out/electron/main.cjs --data DIR --native-binding FILE`). A thin shell: every decision it applies
 * (window options, navigation, permissions, IPC senders, CSP, the protocol's file serving, window state, the
 * menu) is a plain function in `main/security/` or next to this file, tested without Electron.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, safeStorage, screen, session, shell } from 'electron';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ServerMessage } from '../../shared/contract/contract';
import type { DataLock } from '../launch/data-lock';
import { acquireDataLock, lockedMessage } from '../launch/data-lock';
import { LOCK_HOLDER_ENV } from '../launch/electron-run';
import { serveAppRequest } from '../security/app-protocol';
import { isAllowedSender } from '../security/navigation';
import { APP_ENTRY_URL, APP_SCHEME } from '../security/origin';
import { windowOptions } from '../security/window-options';
import { createStudioHost } from '../studio/host';
import { SECRETS_FILE } from '../sync/secrets';
import type { StudioHost } from '../studio/types';
import { hardenContents, hardenSession } from './hardening';
import { MESSAGE_CHANNEL, serveIpc } from './ipc-main';
import type { StudioCommandId } from './menu';
import { menuTemplate } from './menu';
import { createSafeStorageSecretStore } from './secret-store';
import { parseShellArgs } from './shell-args';
import { loadWindowState, saveWindowState, windowStateFile } from './window-state';

// This file only ever runs as the CommonJS bundle in out/electron/, next to preload.cjs and ../renderer/.
const bundleDir = __dirname;
const rendererDir = join(bundleDir, '..', 'renderer');
const preloadPath = join(bundleDir, 'preload.cjs');

const args = parseShellArgs(process.argv, process.defaultApp === true, process.cwd());
const dataDir = args.dataDir ?? join(app.getPath('appData'), 'Anvil');

// Before `ready`: our data folder is Electron's userData (so the single-instance lock is per data folder and
// two studios on two folders can run side by side), Chromium's own files go to a subfolder, every renderer is
// sandboxed, and anvil:// is a standard, secure origin (so 'self', fetch and module workers work as on https).
app.setName('Anvil');
app.setPath('userData', dataDir);
app.setPath('sessionData', join(dataDir, 'chromium'));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

let mainWindow: BrowserWindow | null = null;
let host: StudioHost | null = null;
let stopIpc: (() => void) | null = null;
let closed = false;
let dataLock: DataLock | null = null;

if (!app.requestSingleInstanceLock({ dataDir })) {
  // Another studio has this data folder open: it focuses its window (below) and this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, shell));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  // Flush the workspace before the process ends: quit waits for the last group commit.
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  // A failure in start (the lock, the workspace) reaches `fail` too, not only a failed `ready`.
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  takeDataLock();
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
  host = await createStudioHost({
    dataDir,
    mode: 'desktop',
    actor: osUser(),
    // The sync server's token: encrypted by the OS keychain (safeStorage), never kept in plain text.
    secrets: createSafeStorageSecretStore(safeStorage, join(dataDir, SECRETS_FILE)),
    ...(args.nativeBinding ? { nativeBinding: args.nativeBinding } : {}),
  });
  stopIpc = serveIpc(host, ipcMain, (event) => isAllowedSender(event.senderFrame?.url));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ platform: process.platform, appName: 'Anvil', onCommand: sendCommand })),
  );
  createWindow();
}

function createWindow(): void {
  const stateFile = windowStateFile(dataDir);
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const { maximized, ...bounds } = state;
  const win = new BrowserWindow(windowOptions(preloadPath, bounds));
  mainWindow = win;
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    try {
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      console.error('Could not remember the window position:', err);
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', save);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    console.error(`The studio's page stopped (${details.reason}); reloading it.`);
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) void win.loadURL(APP_ENTRY_URL);
  });
  void win.loadURL(APP_ENTRY_URL);
}

/** A menu command goes to the focused window's page as an `app:command` event, as the palette would run it. */
function sendCommand(command: StudioCommandId): void {
  const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
  if (!target || target.isDestroyed()) return;
  const message: ServerMessage = { type: 'event', event: 'app:command', payload: { command } };
  target.webContents.send(MESSAGE_CHANNEL, message);
}

/**
 * studio.lock across modes: a browser studio serving this folder must stop first. Started by the launcher, the
 * launcher holds the lock for us (its pid in the environment); a packaged app takes it itself. Another desktop
 * app never gets here: Electron's single-instance lock sent it to the first one's window.
 */
function takeDataLock(): void {
  const attempt = acquireDataLock(dataDir, { pid: process.pid, mode: 'desktop' });
  if (attempt.ok) {
    dataLock = attempt.lock;
    return;
  }
  const ours = Number(process.env[LOCK_HOLDER_ENV]) === attempt.holder.pid;
  if (!ours && attempt.holder.mode === 'web') throw new Error(lockedMessage(dataDir, attempt.holder));
}

async function shutdown(): Promise<void> {
  dataLock?.release();
  dataLock = null;
  stopIpc?.();
  stopIpc = null;
  const closing = host;
  host = null;
  try {
    await closing?.close();
  } catch (err) {
    console.error('Closing the workspace failed:', err);
  }
}

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error('Anvil could not start:', err);
  dialog.showErrorBox('Anvil could not start', `${message}\n\nData folder: ${dataDir}`);
  closed = true;
  app.exit(1);
}

function osUser(): string {
  try {
    return userInfo().username.slice(0, 128) || 'local';
  } catch {
    return 'local';
  }
}
