import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu: the platform's usual roles (app, File, Edit, View, Window, Help) plus the studio's own
 * commands. A studio command does nothing in the main process: it sends an `app:command` event with its id to
 * the renderer, which runs it from its command registry exactly as the palette would. Accelerators are the
 * shortcuts the renderer binds; its key handler takes them first (and prevents the default), so a command runs
 * once, from the menu only when the page did not take the key.
 */
export const STUDIO_COMMANDS = {
  'palette.open': { label: 'Command Palette…', accelerator: 'CmdOrCtrl+K' },
  'editor.newPrompt': { label: 'New Prompt', accelerator: 'Alt+N' },
  'editor.saveVersion': { label: 'Save Version…', accelerator: 'CmdOrCtrl+S' },
  'editor.togglePreview': { label: 'Toggle Preview', accelerator: 'CmdOrCtrl+Shift+P' },
  'nav.search': { label: 'Search…', accelerator: 'CmdOrCtrl+Shift+F' },
  'nav.settings': { label: 'Settings…', accelerator: 'CmdOrCtrl+,' },
  'nav.help': { label: 'Keyboard Shortcuts and Liquid Reference', accelerator: 'F1' },
  'view.toggleTheme': { label: 'Toggle Light/Dark Theme', accelerator: undefined },
} as const satisfies Record<string, { label: string; accelerator: string | undefined }>;

export type StudioCommandId = keyof typeof STUDIO_COMMANDS;

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Deliver a studio command to the focused window's renderer. */
  onCommand(command: StudioCommandId): void;
}

export function menuTemplate({ platform, appName, onCommand }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const command = (id: StudioCommandId): MenuItemConstructorOptions => {
    const { label, accelerator } = STUDIO_COMMANDS[id];
    return { id, label, ...(accelerator ? { accelerator } : {}), click: () => onCommand(id) };
  };
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      separator,
      command('nav.settings'),
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  const fileMenu: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('editor.newPrompt'),
      command('editor.saveVersion'),
      separator,
      // On macOS Settings lives in the app menu, elsewhere in File.
      ...(mac ? [{ role: 'close' } as const] : [command('nav.settings'), separator, { role: 'quit' } as const]),
    ],
  };
  const editMenu: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      command('palette.open'),
      command('nav.search'),
      command('editor.togglePreview'),
      command('view.toggleTheme'),
      separator,
      { role: 'reload' },
      { role: 'forceReload' },
      { role: 'toggleDevTools' },
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }],
  };
  const helpMenu: MenuItemConstructorOptions = { role: 'help', submenu: [command('nav.help')] };

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}
