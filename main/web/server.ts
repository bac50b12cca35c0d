import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RawData, WebSocket } from 'ws';
import { contentSecurityPolicy } from '../security/csp';
import { createStudioHost } from '../studio/host';
import { createFileSecretStore } from '../sync/secrets';
import type { StudioHost } from '../studio/types';

/** Largest WebSocket message: a 64 MiB base64 update (the contract's cap) plus its JSON envelope. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024 + 64 * 1024;

/** The renderer as `npm run build:renderer` leaves it. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface WebServerOptions {
  host: StudioHost;
  /** 0 (default) picks a free port. */
  port?: number;
  rendererDir?: string;
  /** The per-launch secret; a fresh random one by default (tests pass their own). */
  token?: string;
  /** Largest WebSocket message accepted (default `MAX_MESSAGE_BYTES`); a larger one closes that connection. */
  maxMessageBytes?: number;
}

export interface WebStudio {
  /** Open this in a browser: it carries the token, which the page moves to sessionStorage. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** A per-launch secret: 32 random bytes, base64url (URL-safe, no padding). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compare secrets in constant time whatever their lengths (digests have one length). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}

/**
 * The studio served to a browser on this machine: the built renderer over HTTP and the contract over one
 * WebSocket per tab (`/api`). Threats: other local users and web pages the user visits. So: 127.0.0.1 only;
 * a per-launch secret on the WebSocket; the Host header must name 127.0.0.1 or localhost on our port (a DNS
 * rebinding page's requests carry its own host name); the WebSocket's Origin must be this server (a page on
 * another origin may open a WebSocket to localhost, browsers do not stop it); and the same CSP as the desktop
 * app, with no framing.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebStudio> {
  const { host } = options;
  const token = options.token ?? newToken();
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const refuse = (reply: FastifyReply, reason: string) =>
    reply.code(403).header('Content-Type', 'text/plain; charset=utf-8').send(`Forbidden: ${reason}\n`);

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts().includes(hostHeader))
      return refuse(reply, `the Host header ${JSON.stringify(hostHeader)} is not this studio.`);
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES } });
  app.get(
    '/api',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        const origin = req.headers.origin;
        if (origin === undefined || !allowedHosts().some((h) => origin === `http://${h}`))
          return refuse(reply, `the Origin ${JSON.stringify(origin ?? '')} is not this studio.`);
        const given = (req.query as Record<string, unknown>).token;
        if (typeof given !== 'string' || !sameSecret(given, token))
          return refuse(reply, 'a missing or wrong token. Open the address the studio printed.');
      },
    },
    (socket: WebSocket) => serveSocket(host, socket),
  );

  if (existsSync(rendererDir)) {
    await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'] });
  } else {
    app.get('/', (_req, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The studio's page is not built (${rendererDir}). Run: npm run build:renderer\n`),
    );
  }

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      // A tab can hold a connection that never goes idle (a keep-alive request mid-flight, a socket mid-close):
      // after a grace period it is cut, so stopping the studio (Ctrl+C, a test's teardown) never hangs on it.
      const cut = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      cut.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}

/** How long `close` waits for open connections to finish before cutting them. */
const CLOSE_GRACE_MS = 3_000;

/** One browser tab: JSON `ClientMessage`s in, `ServerMessage`s out. A bad frame closes only this connection. */
function serveSocket(host: StudioHost, socket: WebSocket): void {
  const client = host.connect((message) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  });
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return socket.close(1003, 'The studio accepts JSON text messages only.');
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      return socket.close(1007, 'A message was not JSON.');
    }
    try {
      client.receive(message);
    } catch {
      // The host promises never to throw; should it, only this connection pays.
      socket.close(1011, 'The studio failed to handle a message.');
    }
  });
  socket.on('close', () => client.disconnect());
  socket.on('error', () => client.disconnect());
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export interface StartWebStudioOptions {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  /** Who local changes are recorded as (default: the OS user). */
  actor?: string;
  /** Fill a new workspace with the demo projects (default true). */
  seed?: boolean;
  token?: string;
}

/** Open the workspace in `dataDir` and serve the studio to a browser; `close` stops both. */
export async function startWebStudio(options: StartWebStudioOptions): Promise<WebStudio> {
  const host = await createStudioHost({
    dataDir: options.dataDir,
    mode: 'web',
    actor: options.actor ?? defaultActor(),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    // No OS keychain outside Electron: the token is encrypted with a key kept outside the data folder.
    secrets: createFileSecretStore({ dir: options.dataDir }),
  });
  let server: WebStudio;
  try {
    server = await startWebServer({
      host,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.rendererDir !== undefined ? { rendererDir: options.rendererDir } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
  } catch (err) {
    await host.close();
    throw err;
  }
  return {
    ...server,
    close: async () => {
      try {
        await server.close();
      } finally {
        await host.close();
      }
    },
  };
}

function defaultActor(): string {
  const user = process.env.USER ?? process.env.USERNAME ?? 'local';
  return user.slice(0, 128) || 'local';
}
