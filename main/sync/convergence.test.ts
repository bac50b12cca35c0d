// Concurrent editing through a real `anvil serve` process on 127.0.0.1, with studios (workspace + sync engine)
// in temp folders: clients going offline (a TCP link cut, as a laptop loses its network), the server killed
// with SIGKILL mid-burst and restarted from its data folder. Every studio types unique tokens (`|A12`) at token
// boundaries, so after the merge every token must be found whole, exactly once, on every replica.
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkLink, ServerProcess, Studio } from './testing';
import {
  freePort,
  makePrompt,
  networkLink,
  openStudio,
  removeDirs,
  sleep,
  startServer,
  stateVector,
  tempDir,
  templateOf,
  typeAt,
  until,
} from './testing';

const SOAK = !!process.env.ANVIL_SOAK;
const dirs: string[] = [];
const studios: Studio[] = [];
const links: NetworkLink[] = [];
const servers: ServerProcess[] = [];

afterEach(async () => {
  for (const s of studios.splice(0)) await s.close().catch(() => undefined);
  for (const l of links.splice(0)) await l.close();
  for (const s of servers.splice(0)) await s.kill();
  removeDirs(dirs);
});

async function studio(): Promise<Studio> {
  const s = await openStudio(tempDir(dirs));
  studios.push(s);
  return s;
}

/** Deterministic per test (Math.random would make a failure impossible to replay). */
function prng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

interface Ids {
  setId: string;
  promptId: string;
}

/** Everything typed, by label: what the merged text must hold. */
class Typist {
  readonly typed: string[] = [];
  private n = 0;
  constructor(
    readonly label: string,
    private readonly s: Studio,
    private readonly ids: Ids,
    private readonly rand: () => number,
  ) {}

  /** One token at a boundary of the local text (its start, or just before a `|`): never inside another token. */
  async type(): Promise<void> {
    const text = templateOf(this.s.ws, this.ids.setId, this.ids.promptId);
    const bounds = [0];
    for (let i = text.indexOf('|'); i >= 0; i = text.indexOf('|', i + 1)) bounds.push(i);
    const at = bounds[Math.floor(this.rand() * bounds.length)] ?? 0;
    const token = `|${this.label}${this.n++}`;
    await typeAt(this.s.ws, this.ids.setId, this.ids.promptId, at, token);
    this.typed.push(token.slice(1));
  }
}

const tokensOf = (text: string): string[] => text.split('|').filter(Boolean).sort();

/** Every replica synced, with one state vector and one text, holding each typed token once. */
async function converged(all: Studio[], ids: Ids, typists: Typist[], ms = 20_000): Promise<string> {
  const detail = () =>
    all.map((s, i) => `#${i} ${s.engine.status().state} pending ${s.engine.status().pendingChanges}`).join(', ');
  await until(
    'every replica synced with one state',
    () =>
      all.every((s) => s.engine.status().state === 'synced') &&
      all.every((s) => stateVector(s.ws, ids.setId) === stateVector((all[0] as Studio).ws, ids.setId)),
    ms,
    detail,
  );
  const text = templateOf((all[0] as Studio).ws, ids.setId, ids.promptId);
  for (const s of all) expect(templateOf(s.ws, ids.setId, ids.promptId)).toBe(text);
  expect(tokensOf(text)).toEqual(typists.flatMap((t) => t.typed).sort());
  for (const s of all) expect(s.errors).toEqual([]);
  return text;
}

/** Opens the shared prompt in `s` once the server has sent it. */
async function joined(s: Studio, url: string, token: string, ids: Ids): Promise<void> {
  await s.engine.configure({ url, token });
  await until('the shared prompt arrives', () => {
    const doc = s.ws.internals.docs.get(ids.setId);
    return !!doc && templateOf(s.ws, ids.setId, ids.promptId) !== '';
  });
  await s.engine.waitFor('synced', 10_000);
}

describe('concurrent editing through a real server', () => {
  it('three studios type into one prompt, one offline for part of the run: one state, every edit kept', async () => {
    const server = await startServer(tempDir(dirs), await freePort());
    servers.push(server);
    const token = server.adminToken ?? '';
    const [a, b, c] = [await studio(), await studio(), await studio()] as [Studio, Studio, Studio];
    const ids = await makePrompt(a.ws, { project: 'three', set: 'shared', prompt: 'p' }, '|seed');
    await a.engine.configure({ url: server.url, token });
    await a.engine.waitFor('synced');
    const link = await networkLink(server.port);
    links.push(link);
    await joined(b, server.url, token, ids);
    await joined(c, link.url, token, ids);
    const rand = prng(SOAK ? Date.now() : 20261204);
    const typists = [new Typist('A', a, ids, rand), new Typist('B', b, ids, rand), new Typist('C', c, ids, rand)];
    typists[0]?.typed.push('seed');
    const rounds = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await Promise.all(typists.map((t) => t.type()));
        await sleep(rand() * 10);
      }
    };

    await rounds(SOAK ? 300 : 30);
    link.cut();
    await c.engine.waitFor('offline', 10_000);
    const cTypedBefore = typists[2]?.typed.length ?? 0;
    await rounds(SOAK ? 300 : 40);
    const cOffline = typists[2]?.typed.slice(cTypedBefore) ?? [];
    // C kept its edits (stored first, counted as pending) and has none of the others' since the cut.
    expect(c.engine.status().state).toBe('offline');
    expect(c.engine.status().pendingChanges).toBeGreaterThan(0);
    const seenByA = new Set(tokensOf(templateOf(a.ws, ids.setId, ids.promptId)));
    expect(cOffline.length).toBeGreaterThan(0);
    expect(cOffline.filter((t) => seenByA.has(t))).toEqual([]);
    link.restore();
    // No retry called: the engine's own backoff brings C back, while everyone keeps typing.
    await rounds(SOAK ? 300 : 30);
    await converged([a, b, c], ids, typists);
  }, 60_000);

  const ROUNDS = SOAK ? 10 : 1;
  const WRITERS = SOAK ? 10 : 4;
  it(
    `kill -9 of the server while ${WRITERS} studios type (${ROUNDS} rounds): all reconnect and converge`,
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const dataDir = tempDir(dirs);
        const port = await freePort();
        let server = await startServer(dataDir, port);
        servers.push(server);
        const token = server.adminToken ?? '';
        const all: Studio[] = [];
        for (let i = 0; i < WRITERS; i++) all.push(await studio());
        const first = all[0] as Studio;
        const ids = await makePrompt(first.ws, { project: `kill${round}`, set: 'shared', prompt: 'p' }, '|seed');
        await first.engine.configure({ url: server.url, token });
        await first.engine.waitFor('synced');
        for (const s of all.slice(1)) await joined(s, server.url, token, ids);
        const rand = prng(SOAK ? Date.now() : 4242 + round);
        const typists = all.map((s, i) => new Typist(String.fromCharCode(65 + i), s, ids, rand));
        typists[0]?.typed.push('seed');

        // Everyone types continuously; the server dies in the middle of it and comes back from its data folder.
        let typing = true;
        const loops = typists.map(async (t) => {
          while (typing) {
            await t.type();
            await sleep(2 + rand() * 8);
          }
        });
        await sleep(300 + rand() * 400);
        await server.kill();
        const atKill = typists.map((t) => t.typed.length);
        await sleep(300 + rand() * 300);
        // Every studio kept typing while the server was gone (stored locally, sent later).
        typists.forEach((t, i) => expect(t.typed.length, t.label).toBeGreaterThan((atKill[i] ?? 0) + 5));
        server = await startServer(dataDir, port);
        servers.push(server);
        await sleep(400);
        typing = false;
        await Promise.all(loops);
        const text = await converged(all, ids, typists, 30_000);

        // The server alone holds it all: a new studio that meets none of the others gets the same text.
        for (const s of all) await s.close();
        studios.splice(0);
        const late = await studio();
        await joined(late, server.url, token, ids);
        expect(templateOf(late.ws, ids.setId, ids.promptId)).toBe(text);
        await late.close();
        studios.splice(0);
      }
    },
    ROUNDS * 60_000,
  );

  it('an edit the server acknowledged survives its kill -9 even when its author never comes back', async () => {
    const dataDir = tempDir(dirs);
    const port = await freePort();
    let server = await startServer(dataDir, port);
    servers.push(server);
    const token = server.adminToken ?? '';
    const author = await studio();
    const other = await studio();
    const ids = await makePrompt(author.ws, { project: 'acked', set: 'shared', prompt: 'p' }, '|seed');
    await author.engine.configure({ url: server.url, token });
    await author.engine.waitFor('synced');
    const link = await networkLink(port);
    links.push(link);
    await joined(other, link.url, token, ids);
    // The other studio loses its network: whatever the author writes now reaches it only through the server.
    link.cut();
    await other.engine.waitFor('offline', 10_000);
    const typist = new Typist('W', author, ids, prng(7));
    for (let i = 0; i < 50; i++) await typist.type();
    await author.engine.waitFor('synced', 10_000);
    await author.close();
    studios.splice(studios.indexOf(author), 1);
    await server.kill();
    server = await startServer(dataDir, port);
    servers.push(server);
    link.restore();
    await until(
      "the author's acknowledged edits reach the other studio",
      () => tokensOf(templateOf(other.ws, ids.setId, ids.promptId)).length === 51,
      20_000,
    );
    expect(tokensOf(templateOf(other.ws, ids.setId, ids.promptId))).toEqual(['seed', ...typist.typed].sort());
    await other.engine.waitFor('synced', 10_000);
  }, 60_000);
});
