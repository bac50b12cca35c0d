import { describe, expect, it } from 'vitest';
import { WaitingForAuth } from './before-auth';

describe('WaitingForAuth', () => {
  const limits = { messagesPerDocument: 3, documents: 2, bytes: 100 };

  it('counts messages per document, so a whole workspace may wait at once', () => {
    const w = new WaitingForAuth({ ...limits, documents: 1000 });
    for (let d = 0; d < 1000; d++) for (let m = 0; m < 3; m++) expect(w.add(`doc-${d}`, 0)).toBeUndefined();
    expect(w.add('doc-7', 0)).toBe('too many messages before authentication');
  });

  it('refuses one document too many, and too many bytes in total', () => {
    const w = new WaitingForAuth(limits);
    expect(w.add('a', 60)).toBeUndefined();
    expect(w.add('b', 30)).toBeUndefined();
    expect(w.add('c', 1)).toBe('too many documents waiting for authentication');
    expect(w.add('b', 20)).toBe('too many bytes before authentication');
  });

  it('gives an authenticated document its share back', () => {
    const w = new WaitingForAuth(limits);
    w.add('a', 90);
    w.add('a', 5);
    w.release('a');
    expect(w.waitingDocuments).toBe(0);
    expect(w.add('b', 95)).toBeUndefined();
    expect(w.add('c', 5)).toBeUndefined();
    w.release('unknown');
    expect(w.add('c', 1)).toBe('too many bytes before authentication');
  });
});
