import { describe, expect, it } from 'vitest';
import { parseShellArgs } from './shell-args';

describe('parseShellArgs', () => {
  it('reads --data and --native-binding after `electron main.cjs`', () => {
    const argv = ['/e/electron', 'out/electron/main.cjs', '--data', 'd', '--native-binding', '/n/b.node'];
    expect(parseShellArgs(argv, true, '/cwd')).toEqual({ dataDir: '/cwd/d', nativeBinding: '/n/b.node' });
  });

  it('reads them right after the executable in a packaged app, and ignores Chromium switches', () => {
    const argv = [
      '/Applications/Anvil.app/Contents/MacOS/Anvil',
      '--no-sandbox',
      '--data=/x',
      '-psn_0_1234',
      'file.txt',
    ];
    expect(parseShellArgs(argv, false, '/cwd')).toEqual({ dataDir: '/x' });
  });

  it('ignores empty values and a relative addon path', () => {
    expect(parseShellArgs(['e', 'm', '--data', '', '--native-binding', 'rel.node'], true, '/cwd')).toEqual({});
    expect(parseShellArgs(['e', 'm', '--data'], true, '/cwd')).toEqual({});
  });
});
