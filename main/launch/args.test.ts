import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, UsageError, parseLaunchArgs } from './args';
import { defaultDataDir } from './paths';

describe('parseLaunchArgs', () => {
  it('defaults to the desktop app on the default port and data folder', () => {
    expect(parseLaunchArgs([], '/cwd')).toEqual({ help: false, web: false, port: DEFAULT_PORT, portGiven: false });
  });

  it('reads --web, --port, --data (relative to the working folder) and --help', () => {
    expect(parseLaunchArgs(['--web', '--port', '0', '--data', 'd'], '/cwd')).toEqual({
      help: false,
      web: true,
      port: 0,
      portGiven: true,
      dataDir: '/cwd/d',
    });
    expect(parseLaunchArgs(['--port=8080', '--data=/abs'], '/cwd')).toMatchObject({ port: 8080, dataDir: '/abs' });
    expect(parseLaunchArgs(['--help'], '/cwd').help).toBe(true);
    expect(parseLaunchArgs(['-h'], '/cwd').help).toBe(true);
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535, not "abc"/],
    [['--port', '70000'], /--port must be a whole number/],
    [['--port', '-1'], /--port/],
    [['--port', '8.5'], /--port must be a whole number/],
    [['--port'], /--port/],
    [['--data', ''], /--data needs a folder/],
    [['--data'], /--data/],
    [['--wbe'], /Unknown option '--wbe'/],
    [['studio'], /Unexpected argument 'studio'/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseLaunchArgs(argv, '/cwd')).toThrow(UsageError);
    expect(() => parseLaunchArgs(argv, '/cwd')).toThrow(message);
  });
});

describe('defaultDataDir', () => {
  it('is where Electron puts userData for an app named Anvil', () => {
    expect(defaultDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.config/Anvil');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada')).toBe('/xdg/Anvil');
    expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Application Support/Anvil');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Anvil',
    );
    expect(defaultDataDir('win32', {}, 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\Anvil');
  });
});
