import { join, win32 } from 'node:path';

/**
 * Where the studio keeps its data when no `--data DIR` is given: the folder Electron's `app.getPath('userData')`
 * gives an app named Anvil, so the desktop app and the browser mode open the same workspace by default.
 * (The desktop shell sets that path explicitly, since Electron would otherwise derive it from the package's
 * lower-case name.)
 */
export function defaultDataDir(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'Anvil');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Anvil');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Anvil');
}
