import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from './args';
import { LaunchError } from './launch-error';
import { listenOnFirstFree, portCandidates, portError } from './port';

const systemError = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('portCandidates', () => {
  it('tries the default, then any free port, when no port was given', () => {
    expect(portCandidates({ port: DEFAULT_PORT, portGiven: false })).toEqual([DEFAULT_PORT, 0]);
  });
  it('tries only the port that was given (0 included)', () => {
    expect(portCandidates({ port: 5300, portGiven: true })).toEqual([5300]);
    expect(portCandidates({ port: 0, portGiven: true })).toEqual([0]);
  });
});

describe('listenOnFirstFree', () => {
  it('moves past a taken port and says so', async () => {
    const tried: number[] = [];
    const taken: number[] = [];
    const got = await listenOnFirstFree(
      [5219, 0],
      async (port) => {
        tried.push(port);
        if (port === 5219) throw systemError('EADDRINUSE');
        return 'listening';
      },
      (port) => taken.push(port),
    );
    expect(got).toBe('listening');
    expect(tried).toEqual([5219, 0]);
    expect(taken).toEqual([5219]);
  });

  it('makes a taken given port a LaunchError naming it and the way out', async () => {
    const err = await listenOnFirstFree([5300], () => Promise.reject(systemError('EADDRINUSE'))).catch((e) => e);
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as Error).message).toMatch(/Port 5300 on 127\.0\.0\.1 is taken.*--port N.*--port 0/);
  });

  it('passes other errors through untouched, without trying further ports', async () => {
    const boom = new Error('boom');
    let calls = 0;
    const err = await listenOnFirstFree([1, 0], () => {
      calls++;
      return Promise.reject(boom);
    }).catch((e) => e);
    expect(err).toBe(boom);
    expect(calls).toBe(1);
  });
});

describe('portError', () => {
  it('explains a privileged port', () => {
    const err = portError(80, systemError('EACCES'));
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as Error).message).toMatch(/Port 80 needs privileges/);
  });
});
