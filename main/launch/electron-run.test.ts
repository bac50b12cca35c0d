import { describe, expect, it } from 'vitest';
import { electronArgs, electronEnv, runElectron } from './electron-run';

describe('electronArgs', () => {
  it('passes the data folder and the native binding as the shell reads them', () => {
    expect(electronArgs('/out/electron/main.cjs', '/data', '/out/native/b.node')).toEqual([
      '/out/electron/main.cjs',
      '--data',
      '/data',
      '--native-binding',
      '/out/native/b.node',
    ]);
  });

  it('never runs Electron as plain Node', () => {
    expect(electronEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' }, 42)).toEqual({
      PATH: '/bin',
      ANVIL_DATA_LOCK_HOLDER: '42',
    });
  });
});

// Node stands in for the Electron binary: what matters is how its exits are read.
describe('runElectron', () => {
  it('reports a failure as it starts, so the launcher can fall back', async () => {
    expect(await runElectron(process.execPath, ['-e', 'process.exit(3)'], process.env)).toEqual({
      startFailed: 'Electron stopped as it started (exit code 3)',
    });
  });

  it('hands back the exit code of an app that ran', async () => {
    expect(await runElectron(process.execPath, ['-e', 'process.exit(0)'], process.env)).toEqual({ exited: 0 });
    expect(await runElectron(process.execPath, ['-e', 'process.exit(4)'], process.env, 0)).toEqual({ exited: 4 });
  });

  it('reports a binary that cannot be run', async () => {
    const outcome = await runElectron('/nonexistent/electron', [], process.env);
    expect(outcome).toMatchObject({ startFailed: expect.stringMatching(/^Electron could not be started \(.*ENOENT/) });
  });
});
