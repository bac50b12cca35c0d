// Test helper: an HTTP proxy in front of a real registry that forwards everything but can fault its bundle
// downloads (`…/-/<version>` paths) at a known moment, so tests interrupt or break a pull deterministically.
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with a bundle download:
 *   pass      forwards it
 *   stall     sends the headers and half of the body, then nothing more (the client is mid-download)
 *   hold      forwards nothing until {@link FaultProxy.release} (to line up several clients' downloads)
 *   alter     the whole body with one byte changed (same length)
 *   truncate  the first half of the body as a complete answer (its content-length says so)
 *   drop      the full content-length, half of the body, then the connection is destroyed
 */
export type FaultMode = 'pass' | 'stall' | 'hold' | 'alter' | 'truncate' | 'drop';

export interface FaultProxy {
  url: string;
  /** The mode of every bundle download, or per bundle path; may change between pulls. */
  mode: FaultMode | ((path: string) => FaultMode);
  /** Bundle paths asked for so far, in order (every mode). */
  readonly bundles: string[];
  /**
   * Resolves once `n` bundle downloads reached the mode's point: answered (pass, alter, truncate, drop), half
   * written and flushed (stall), or arrived (hold).
   */
  reached(n: number): Promise<void>;
  /** Forwards the held downloads (and those that arrive later while the mode stays `hold`). */
  release(): void;
  close(): Promise<void>;
}

const isBundle = (url: string | undefined): boolean => (url ?? '').includes('/-/');

export async function startFaultProxy(upstream: string, mode: FaultMode = 'pass'): Promise<FaultProxy> {
  const target = new URL(upstream);
  const held: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let count = 0;
  let released = false;
  const bundles: string[] = [];
  const reachedOne = () => {
    count += 1;
    for (const w of waiters.filter((w) => count >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  /** The upstream answer: status, headers and the whole body. */
  const fetchUpstream = (req: IncomingMessage) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const up = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      req.pipe(up);
    });

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  };

  const fault = async (req: IncomingMessage, res: ServerResponse, how: FaultMode) => {
    const { status, headers, body } = await fetchUpstream(req);
    const half = body.subarray(0, Math.floor(body.length / 2));
    // Answered: once the answer is out or the client went away.
    if (how !== 'stall') res.on('close', reachedOne);
    if (status !== 200 || how === 'pass') {
      res.writeHead(status, headers).end(body);
    } else if (how === 'alter') {
      const altered = Buffer.from(body);
      const at = Math.floor(altered.length / 2);
      altered[at] = altered[at] === 0x61 ? 0x62 : 0x61; // 'a' ↔ 'b': still text, not the same bytes
      res.writeHead(status, headers).end(altered);
    } else if (how === 'truncate') {
      res.writeHead(status, { ...headers, 'content-length': String(half.length) }).end(half);
    } else {
      // stall and drop: the full length announced, half the body written and flushed.
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(half, () => {
        if (how === 'drop') res.socket?.destroy();
        else reachedOne();
      });
    }
  };

  const proxy: FaultProxy = {
    url: '',
    mode,
    bundles,
    reached: (n) =>
      new Promise<void>((resolve) => {
        if (count >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    release() {
      released = true;
      for (const go of held.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = createServer((req, res) => {
    if (!isBundle(req.url)) return forward(req, res);
    bundles.push(req.url ?? '');
    const how = typeof proxy.mode === 'function' ? proxy.mode(req.url ?? '') : proxy.mode;
    const failed = () => res.destroy();
    if (how === 'pass') return fault(req, res, 'pass').catch(failed);
    if (how === 'hold' && !released) {
      held.push(() => void fault(req, res, 'pass').catch(failed));
      reachedOne();
      return;
    }
    return fault(req, res, how === 'hold' ? 'pass' : how).catch(failed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** A URL nothing listens on (a port that was free a moment ago): the registry as seen offline. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
