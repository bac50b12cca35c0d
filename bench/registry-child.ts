// The servers `registry.bench.ts` loads, in a child process so the load generator (autocannon, in the bench's
// process) does not share their event loop. Both in this one process, alike:
//   ours   createSyncServer with a real registry (accounts, tokens, team versions, registry.db, bundle files),
//          one package published, rate limits raised out of the way (the bench measures the path, not the limiter)
//   plain  a bare node:http server answering the same bundle bytes from memory, and 304 for a matching ETag
// It sends {type:'ready', …} with both URLs, the token, the paths and the ETags; `PUBLISH_VERSIONS` more team
// versions are ready to publish (1.1.0, 1.2.0, …) for the publish→feed latency; {type:'close'} closes and exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRY_PATHS } from '../shared/registry/api';
import { openRegistryWorld, setContent } from '../sync-server/registry/http-fixtures';

export const PUBLISH_VERSIONS = 60;
export const PACKAGE = '@acme/support';

export interface Ready {
  type: 'ready';
  ours: string;
  plain: string;
  token: string;
  bundlePath: string;
  metadataPath: string;
  bundleEtag: string;
  metadataEtag: string;
  bundleBytes: number;
  projectId: string;
  setId: string;
  /** Versions ready to publish, in order. */
  versions: string[];
}

/** A set whose bundle is about 20 KB: twelve prompts with templates of a realistic size. */
function benchContent(description: string) {
  const base = setContent();
  const prompts = Array.from({ length: 12 }, (_, i) => ({
    ...(base.prompts[0] as (typeof base.prompts)[number] & { kind: 'text' }),
    id: `p-${i}`,
    name: `prompt-${i}`,
    template: `You are a support assistant for {{ customer }}. ${'Answer politely and briefly. '.repeat(40)}#${i}`,
  }));
  return setContent({ prompts, description });
}

const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-registry-'));
const world = await openRegistryWorld(dir);
await world.publish(benchContent('v1'), '1.0.0');
const versions: string[] = [];
for (let i = 1; i <= PUBLISH_VERSIONS; i++) {
  const v = `1.${i}.0`;
  await world.teamVersion(benchContent(`v1.${i}`), v);
  versions.push(v);
}
const bundlePath = REGISTRY_PATHS.bundle(PACKAGE, '1.0.0');
const metadataPath = REGISTRY_PATHS.metadata(PACKAGE);
const get = async (path: string) => {
  const res = await fetch(`${world.server.httpUrl}${path}`, {
    headers: { authorization: `Bearer ${world.tokens.ed}` },
  });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return { bytes: Buffer.from(await res.arrayBuffer()), etag: res.headers.get('etag') as string, headers: res.headers };
};
const bundle = await get(bundlePath);
const metadata = await get(metadataPath);

// The baseline: the least a node:http server can do to answer the same request.
const plain = createServer((req, res) => {
  if (req.url === metadataPath && req.headers['if-none-match'] === metadata.etag) {
    res.writeHead(304, { etag: metadata.etag });
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': bundle.bytes.byteLength,
    etag: bundle.etag,
  });
  res.end(bundle.bytes);
});
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));

const ready: Ready = {
  type: 'ready',
  ours: world.server.httpUrl,
  plain: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`,
  token: world.tokens.ed,
  bundlePath,
  metadataPath,
  bundleEtag: bundle.etag,
  metadataEtag: metadata.etag,
  bundleBytes: bundle.bytes.byteLength,
  projectId: 'p1',
  setId: 'set-a',
  versions,
};
process.send?.(ready);
process.on('message', (m: { type: string }) => {
  if (m.type !== 'close') return;
  plain.closeAllConnections();
  plain.close();
  void world.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
