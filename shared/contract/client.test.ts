import { describe, expect, it } from 'vitest';
import type { Channel } from './client';
import { createApi } from './client';
import type { ClientMessage } from './contract';

/** A channel whose far end never answers, and that the test closes. */
function closableChannel(): { channel: Channel; sent: ClientMessage[]; close(reason: string): void } {
  const sent: ClientMessage[] = [];
  let onClose: ((reason: string) => void) | undefined;
  return {
    sent,
    channel: {
      send: (m) => void sent.push(m),
      listen: () => () => undefined,
      onClose: (l) => void (onClose = l),
    },
    close: (reason) => onClose?.(reason),
  };
}

describe('createApi when its channel closes', () => {
  it('rejects pending and later calls as disconnected, and raises app:disconnected once', async () => {
    const { channel, sent, close } = closableChannel();
    const api = createApi(channel);
    const reasons: string[] = [];
    api.on('app:disconnected', ({ reason }) => reasons.push(reason));
    const pending = api.invoke('app:info', {});
    expect(sent).toHaveLength(1);
    close('The connection to the studio closed.');
    await expect(pending).rejects.toMatchObject({
      code: 'disconnected',
      message: 'The connection to the studio closed.',
    });
    await expect(api.invoke('app:info', {})).rejects.toMatchObject({ code: 'disconnected' });
    expect(sent).toHaveLength(1);
    expect(reasons).toEqual(['The connection to the studio closed.']);
  });
});
