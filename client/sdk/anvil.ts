import { readFileSync } from 'node:fs';
import { selectorText } from '../../shared/address/selector';
import { AnvilError } from '../../shared/domain/result';
import { assignVariant } from '../../shared/experiments/assign';
import type { Experiment } from '../../shared/experiments/types';
import { FAIL } from '../../shared/params/compile';
import { validateParameters } from '../../shared/params/validate';
import { parseLockfile } from '../../shared/registry/lockfile';
import type { Lockfile } from '../../shared/registry/lockfile';
import { parseManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import type { FeedEvent } from '../../shared/registry/types';
import { createEngine } from '../../shared/template/engine';
import type { TemplateLimits } from '../../shared/template/limits';
import { validateHistory } from '../../shared/template/chat';
import type { ChatMessage } from '../../shared/template/chat';
import { openDiskCache } from './disk-cache';
import { AnvilSdkError, sdkError } from './errors';
import { followFeed } from './live';
import { createLoader } from './loader';
import { BoundedMap, buildSnapshot, renderPrepared } from './memory-cache';
import type { PreparedPrompt, SetSnapshot } from './memory-cache';
import { createRegistryClient } from './registry-client';
import type { FetchLike, RegistryClient } from './registry-client';
import { parseRequest, pickDependency, resolveLive, resolveLocked } from './resolver';
import type { Pick, Request } from './resolver';
import { RenderedPrompt } from './result';
import type { GetResult, Rendered } from './result';
import { createMetadataStore } from './metadata';
import { DISABLED_STATS, createTelemetry, createUsageRecorder, resolveUsageOptions } from './usage';
import type { OutcomeInput, UsageOptions, UsageRecorder, UsageStats } from './usage';
import { USAGE_PATHS } from '../../shared/usage/types';

/** `locked`: only what anvil-lock.json pins. `live`: follow the registry within anvil.json's ranges. */
export type Mode = 'locked' | 'live';

/** Options of {@link createAnvil}. Paths are relative to the process's working folder. */
export interface AnvilOptions {
  /** The registry's base URL; without one the SDK serves only what is vendored or cached. */
  registry?: string | null;
  /** An access token, sent as `Authorization: Bearer` (a registry that requires login refuses requests without one). */
  token?: string | null;
  /** The disk cache's folder (bundles by integrity, metadata with its ETag). */
  cacheDir: string;
  /** `anvil.json`: its path or its content. Live mode reads the declared ranges from it. */
  manifest?: ConsumerManifest | string | null;
  /** `anvil-lock.json`: its path or its content. Locked mode serves only what it pins. */
  lockfile?: Lockfile | string | null;
  /** The vendored bundles `anvil pull --vendor` wrote (committed with the app): read before the cache. */
  vendorDir?: string | null;
  /** `locked`: only the lock file's versions. `live`: follow the registry within the declared ranges. */
  mode: Mode;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: FetchLike;
  /** Milliseconds since the epoch (tests move time with it). */
  clock?: () => number;
  /** How long fetched metadata counts as fresh when the update feed is not connected (default 60 s). */
  ttlMs?: number;
  /** One registry request's limit (default 3 s), and the retries after it (default 2). */
  timeoutMs?: number;
  /** Retries after a failed registry request (network error, timeout, 429, 5xx), with backoff (default 2). */
  retries?: number;
  /** Live mode's update channel: the SSE feed (default), polling `/events`, or none (TTL only). */
  feed?: 'sse' | 'poll' | 'off';
  /** Polling interval (default 1 s). */
  pollMs?: number;
  /** Bounds on template work (render depth, output size, loop iterations…); the defaults suit any real prompt. */
  limits?: Partial<TemplateLimits>;
  /**
   * Usage analytics: an event per render (and the outcomes the application adds), batched and sent to the
   * registry's `POST /api/usage/events` off the render path. On by default when there is a registry; `false`
   * records nothing. Parameter values are sent only with `{ includeParams: true }`. See client/README.md
   * "Usage and telemetry".
   */
  usage?: boolean | UsageOptions;
  /**
   * OpenTelemetry spans and metrics through `@opentelemetry/api`: a no-op until the application configures an
   * OpenTelemetry SDK (default true; `false` skips even the provider lookup).
   */
  telemetry?: boolean;
}

/** The third argument of `get` and `getOrThrow`. */
export interface GetOptions {
  /** The conversation so far, for a chat prompt's history placeholder: `[{ role, content }]`. */
  history?: unknown;
  /**
   * The unit key of an A/B test (the value of the experiment's `unit`: a user id, a session id): when the
   * addressed prompt has an experiment, it decides the variant, the same one for the same key in every process.
   * Without it a running experiment serves its control (first variant) and warns once. See client/README.md
   * "Experiments".
   */
  unitKey?: string;
}

/** A selection changed what it renders: a new version in range, a dist-tag move, or a dependency's update. */
export interface UpdateEvent {
  /** The set (`@project/set`) whose selection changed. */
  name: string;
  /** The selector as written after `@` (empty for none). */
  selector: string;
  /** The version rendered before the update. */
  from: string;
  /** The version rendered from now on. */
  to: string;
  /** Versions of the sets it renders from, after the update. */
  dependencies: Record<string, string>;
}

/**
 * Prompt addresses (`@project/set/prompt`) → their parameters. Empty in the SDK: `anvil types` writes
 * `anvil-types.d.ts`, which adds every locked prompt to it (module augmentation), and from then on `get` and
 * `getOrThrow` check the parameters of those addresses; any other address takes `Record<string, unknown>`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AnvilPrompts {}

/** `@p/s@selector/prompt` → `@p/s/prompt`, the key `AnvilPrompts` uses; other strings are left as they are. */
export type PromptKey<A extends string> = A extends `@${infer P}/${infer S}/${infer N}`
  ? S extends `${infer Set}@${string}`
    ? `@${P}/${Set}/${N}`
    : A
  : A;

/** The parameters `get(address, …)` takes: the generated type for a known address, else any object. */
export type PromptParams<A extends string> =
  PromptKey<A> extends keyof AnvilPrompts ? AnvilPrompts[PromptKey<A>] : Record<string, unknown>;

/** `get`'s arguments after the address: parameters required when the prompt has a required one. */
export type GetArgs<A extends string> =
  PromptKey<A> extends keyof AnvilPrompts
    ? Record<never, never> extends PromptParams<A>
      ? [params?: PromptParams<A>, options?: GetOptions]
      : [params: PromptParams<A>, options?: GetOptions]
    : [params?: Record<string, unknown>, options?: GetOptions];

/** The SDK's handle, made by {@link createAnvil}. */
export interface Anvil {
  /** The mode it was created with. */
  readonly mode: Mode;
  /**
   * Renders the prompt at `address` (`@project/set/prompt`, or `@project/set@selector/prompt` with a version, a
   * range or a tag) with `params`, checked against its parameters first. Never rejects: resolves to
   * `{ ok: true, value }` or `{ ok: false, error }` with an {@link AnvilSdkError}.
   */
  get<A extends string>(address: A, ...args: GetArgs<A>): Promise<GetResult>;
  /** As `get`, but resolves to the rendered prompt and throws the {@link AnvilSdkError} on failure. */
  getOrThrow<A extends string>(address: A, ...args: GetArgs<A>): Promise<Rendered>;
  /** Live mode: a selection now renders another version (in range, a tag move, a dependency). Returns `off`. */
  on(event: 'update', listener: (e: UpdateEvent) => void): () => void;
  /** Deprecated versions, packages missing upstream, cache files that failed verification, feed trouble. */
  on(event: 'warning', listener: (e: AnvilSdkError) => void): () => void;
  /** Resolves once the live feed is connected (immediately in locked mode or without a registry). */
  ready(): Promise<void>;
  /**
   * Adds the completion's outcome to a render: `render` is the rendered prompt (or its `renderId`). Throws
   * `invalid_outcome` for a negative or non-numeric figure or bad metrics; does nothing when usage is off.
   */
  outcome(render: Rendered | string, outcome: OutcomeInput): void;
  /** Sends the usage events recorded so far (to the spool when the server is unreachable). */
  flush(): Promise<void>;
  /** Where the usage events are: recorded, sent, pending, spooled, dropped (and not yet reported), rejected. */
  usageStats(): UsageStats;
  /** Stops the live feed and any pending background work, and sends what usage events are left; later calls fail with `closed`. */
  close(): Promise<void>;
}

interface Selection {
  req: Request;
  snapshot: SetSnapshot;
  /** Packages it was resolved from (itself and every dependency): an update to any of them re-resolves it. */
  names: string[];
  fallback: boolean;
  deprecated: string | null;
  /** The set's experiments (from the lock, or the followed metadata in live mode), by prompt name. */
  experiments: ReadonlyMap<string, Experiment>;
  /** version → the set at that version (with the same dependency versions), for `{ version }` variants. */
  variants: ReadonlyMap<string, SetSnapshot | AnvilSdkError>;
}

const NO_EXPERIMENTS: ReadonlyMap<string, Experiment> = new Map();
const NO_VARIANTS: ReadonlyMap<string, SetSnapshot | AnvilSdkError> = new Map();

/** The experiments of `name` keyed by their prompt's name within the set. */
function experimentsOf(name: string, list: readonly Experiment[] | undefined): ReadonlyMap<string, Experiment> {
  if (!list || list.length === 0) return NO_EXPERIMENTS;
  const out = new Map<string, Experiment>();
  const prefix = `${name}/`;
  for (const e of list) if (e.prompt.startsWith(prefix)) out.set(e.prompt.slice(prefix.length), e);
  return out;
}

const readText = (path: string, what: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AnvilSdkError({
      code: 'unreadable',
      message: `could not read ${what} ${path}: ${(err as Error).message}`,
    });
  }
};

function loadManifest(m: AnvilOptions['manifest']): ConsumerManifest | null {
  if (m == null) return null;
  if (typeof m !== 'string') return m;
  const text = readText(m, 'the manifest');
  return text === null ? null : parseManifest(text, m);
}

function loadLock(l: AnvilOptions['lockfile']): Lockfile | null {
  if (l == null) return null;
  if (typeof l !== 'string') return l;
  const text = readText(l, 'the lock file');
  return text === null ? null : parseLockfile(text, l);
}

/**
 * The consumer SDK. `get(address, params)` renders a published prompt: the address is parsed once, its
 * selection (set + selector → an immutable snapshot of the set and the sets it renders from) is resolved once,
 * each prompt is parsed and linked once; a cached call validates the parameters with a compiled check and runs
 * liquidjs, nothing more. See client/README.md "SDK" for what is cached, for how long, and keyed by what.
 */
export function createAnvil(options: AnvilOptions): Anvil {
  const mode = options.mode;
  const live = mode === 'live';
  const clock = options.clock ?? Date.now;
  const ttlMs = options.ttlMs ?? 60_000;
  const manifest = loadManifest(options.manifest);
  const lock = loadLock(options.lockfile);
  const engine = createEngine({ limits: { parseCacheEntries: 5_000, parseCacheChars: 32_000_000, ...options.limits } });
  const listeners = { update: new Set<(e: UpdateEvent) => void>(), warning: new Set<(e: AnvilSdkError) => void>() };
  const warned = new Set<string>();
  const warn = (e: AnvilError, once?: string): void => {
    if (once !== undefined) {
      if (warned.has(once)) return;
      warned.add(once);
    }
    const err = sdkError(e, null);
    for (const l of listeners.warning) l(err);
  };
  const cache = openDiskCache(options.cacheDir, (e) => warn(e));
  const client: RegistryClient | null = options.registry
    ? createRegistryClient({
        registry: options.registry,
        token: options.token ?? null,
        timeoutMs: options.timeoutMs ?? 3_000,
        retries: options.retries ?? 2,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    : null;
  const loader = createLoader({ vendorDir: options.vendorDir ?? null, cache, client, onProblem: (e) => warn(e) });
  const metas = createMetadataStore({ cache, client, clock, ttlMs, live, warn });

  const requests = new BoundedMap<string, Request>(10_000);
  const selections = new Map<string, Selection>();
  const pending = new Map<string, Promise<Selection>>();
  const snapshots = new BoundedMap<string, SetSnapshot>(1_000);
  let closed = false;
  let feedLive = false;

  const declared = (name: string): string | undefined =>
    manifest && Object.prototype.hasOwnProperty.call(manifest.dependencies, name)
      ? manifest.dependencies[name]
      : undefined;

  /** The set and its dependencies' pins, resolved the way the mode says; then the (shared) snapshot. */
  async function resolveSelection(req: Request): Promise<Omit<Selection, 'req'>> {
    let root: Pick;
    let deprecated: string | null = null;
    let fallback = false;
    const names = [req.name];
    const depPins: Record<string, Pick> = {};
    let experimentList: readonly Experiment[] | undefined;
    /** Integrity of a version of the set an experiment targets, or null when unknown. */
    let integrityOf: (version: string) => string | null;
    if (!live) {
      if (!lock)
        throw new AnvilSdkError({
          code: 'no_lock',
          message: `${req.address}: locked mode needs a lock file; run \`anvil pull\` to write anvil-lock.json`,
          address: req.address,
        });
      const tags = req.selector.kind === 'tag' ? ((await metas.cached(req.name))?.metadata.distTags ?? null) : null;
      root = resolveLocked(req, lock, tags);
      const entry = lock.sets[req.name];
      experimentList = entry?.experiments;
      integrityOf = (v) => entry?.variantVersions?.[v] ?? null;
      const queue = [req.name];
      for (let n = queue.shift(); n !== undefined; n = queue.shift())
        for (const dep of Object.keys(lock.sets[n]?.dependencies ?? {})) {
          const e = lock.sets[dep];
          if (!e || depPins[dep] || dep === req.name) continue;
          depPins[dep] = { version: e.version, integrity: e.integrity };
          names.push(dep);
          queue.push(dep);
        }
      deprecated = (await metas.cached(req.name))?.metadata.versions[root.version]?.deprecated ?? null;
      if (client) metas.checkOnce(req.name);
    } else {
      const state = await metas.get(req.name, req.address);
      fallback = state.failed !== null;
      root = resolveLive(req, state.metadata, declared(req.name));
      experimentList = state.metadata.experiments;
      integrityOf = (v) => state.metadata.versions[v]?.integrity ?? null;
      deprecated = state.metadata.versions[root.version]?.deprecated ?? null;
      const rootBundle = await loader.get(req.name, root.version, root.integrity);
      const queue: { from: string; deps: Record<string, string> }[] = [
        { from: `${req.name}@${root.version}`, deps: rootBundle.document.manifest.dependencies },
      ];
      for (let item = queue.shift(); item; item = queue.shift())
        for (const [dep, range] of Object.entries(item.deps)) {
          if (depPins[dep] || dep === req.name) continue;
          const s = await metas.get(dep, req.address);
          if (s.failed) fallback = true;
          const pick = pickDependency(s.metadata, range, item.from);
          depPins[dep] = pick;
          names.push(dep);
          const b = await loader.get(dep, pick.version, pick.integrity);
          queue.push({ from: `${dep}@${pick.version}`, deps: b.document.manifest.dependencies });
        }
    }
    const snapshot = await snapshotOf(req.name, root, depPins, deprecated);
    const experiments = experimentsOf(req.name, experimentList);
    let variants = NO_VARIANTS;
    if (experiments.size > 0) {
      const built = new Map<string, SetSnapshot | AnvilSdkError>();
      for (const e of experiments.values())
        for (const v of e.variants) {
          if (!('version' in v.target) || built.has(v.target.version)) continue;
          const version = v.target.version;
          if (version === root.version) {
            built.set(version, snapshot);
            continue;
          }
          const integrity = integrityOf(version);
          try {
            if (integrity === null)
              throw new AnvilSdkError({
                code: 'unavailable',
                message: `${req.name}@${version}, which the experiment "${e.id}" renders for its variant "${v.key}", is not ${live ? 'published' : 'in the lock file (run `anvil pull`)'}`,
                address: req.address,
              });
            built.set(version, await snapshotOf(req.name, { version, integrity }, depPins, null));
          } catch (err) {
            // Only the units given that variant fail (with this error); the others render.
            built.set(version, sdkError(err, req.address));
          }
        }
      variants = built;
    }
    if (deprecated !== null)
      warn(
        new AnvilError({
          code: 'deprecated',
          message: `${req.name}@${root.version} is deprecated: ${deprecated}`,
          details: { name: req.name, version: root.version },
        }),
        `deprecated ${req.name}@${root.version}`,
      );
    return { snapshot, names, fallback, deprecated, experiments, variants };
  }

  /** The (shared) snapshot of a set's version with these dependency versions. */
  async function snapshotOf(
    name: string,
    root: Pick,
    depPins: Readonly<Record<string, Pick>>,
    deprecated: string | null,
  ): Promise<SetSnapshot> {
    const key = [
      name,
      root.integrity,
      ...Object.keys(depPins)
        .sort()
        .map((n) => `${n}@${depPins[n]?.integrity}`),
    ].join('\n');
    let snapshot = snapshots.get(key);
    if (!snapshot) {
      const bundle = await loader.get(name, root.version, root.integrity);
      const dependencies: Record<string, { version: string; content: typeof bundle.content }> = {};
      for (const [dep, pin] of Object.entries(depPins))
        dependencies[dep] = {
          version: pin.version,
          content: (await loader.get(dep, pin.version, pin.integrity)).content,
        };
      snapshot = buildSnapshot(engine, {
        document: bundle.document,
        content: bundle.content,
        integrity: root.integrity,
        source: bundle.source,
        deprecated,
        dependencies,
      });
      snapshots.set(key, snapshot);
    }
    return snapshot;
  }

  function selectionFor(req: Request): Promise<Selection> {
    let p = pending.get(req.key);
    if (!p) {
      p = resolveSelection(req).then(
        (s) => {
          pending.delete(req.key);
          const sel: Selection = { req, ...s };
          selections.set(req.key, sel);
          if (live) follow.track(sel.names);
          return sel;
        },
        (e: unknown) => {
          pending.delete(req.key);
          throw e;
        },
      );
      pending.set(req.key, p);
    }
    return p;
  }

  /** Re-resolves the selections that use any of `names` and swaps in new snapshots where they changed. */
  async function reconcile(names: ReadonlySet<string>): Promise<void> {
    for (const sel of [...selections.values()]) {
      if (closed) return;
      if (!sel.names.some((n) => names.has(n))) continue;
      let next: Omit<Selection, 'req'>;
      try {
        next = await resolveSelection(sel.req);
      } catch (e) {
        warn(sdkError(e, sel.req.address));
        continue;
      }
      const before = sel.snapshot;
      sel.names = next.names;
      sel.fallback = next.fallback;
      sel.deprecated = next.deprecated;
      sel.experiments = next.experiments;
      sel.variants = next.variants;
      if (next.snapshot.key === before.key) continue;
      // One assignment: a render that already took `before` finishes with it; the next one takes the new set.
      sel.snapshot = next.snapshot;
      if (live) follow.track(next.names);
      const event: UpdateEvent = {
        name: sel.req.name,
        selector: selectorText(sel.req.selector),
        from: before.version,
        to: next.snapshot.version,
        dependencies: { ...next.snapshot.dependencyVersions },
      };
      for (const l of listeners.update) l(event);
    }
  }

  metas.onChecked((name) => {
    // A refresh (or its failure) changes what is fresh and what is a fallback; keep selections in step.
    for (const sel of selections.values())
      if (sel.names.includes(name)) {
        sel.fallback = sel.names.some((n) => metas.failed(n));
        if (sel.req.name === name) sel.deprecated = metas.deprecation(name, sel.snapshot.version) ?? sel.deprecated;
      }
  });

  let chain: Promise<void> = Promise.resolve();
  const schedule = (names: string[]): void => {
    chain = chain.then(async () => {
      const changed = new Set<string>();
      for (const n of names) {
        try {
          await metas.refresh(n);
          changed.add(n);
        } catch (e) {
          warn(sdkError(e, null));
        }
      }
      if (changed.size > 0) await reconcile(changed);
    });
    // One failed step must not stop the ones after it.
    chain = chain.catch((e: unknown) => warn(sdkError(e, null)));
  };

  const follow = followFeed({
    enabled: live && client !== null && options.feed !== 'off',
    transport: options.feed === 'poll' ? 'poll' : 'sse',
    pollMs: options.pollMs ?? 1_000,
    client,
    probe: () => Object.keys(manifest?.dependencies ?? {})[0] ?? null,
    onEvent: (e: FeedEvent) => schedule([e.name]),
    onConnected: (tracked) => {
      feedLive = true;
      // Anything may have happened while disconnected: every tracked package is revalidated (a 304 if not).
      schedule(tracked);
    },
    onDisconnected: (err) => {
      feedLive = false;
      if (err) warn(err, `feed ${err.code}`);
    },
  });
  if (manifest) follow.track(Object.keys(manifest.dependencies));

  const fail = (e: unknown, address: string): GetResult => ({ ok: false, error: sdkError(e, address) });

  /** The variant of a unit: the winner once stopped; without a key, the control (and a warning, once). */
  function chooseVariant(exp: Experiment, unitKey: unknown) {
    if (exp.status === 'running' && (unitKey === undefined || unitKey === null || unitKey === '')) {
      warn(
        new AnvilError({
          code: 'no_unit_key',
          message: `${exp.prompt} has the experiment "${exp.id}", but get() was given no unitKey (its ${exp.unit}): the control "${exp.variants[0]?.key}" is served`,
          details: { experiment: exp.id, unit: exp.unit },
        }),
        `no unit key ${exp.id}`,
      );
      return exp.variants[0] as Experiment['variants'][number];
    }
    return assignVariant(exp, unitKey as string);
  }

  const usageEndpoint =
    options.usage === false
      ? null
      : typeof options.usage === 'object' && options.usage.endpoint
        ? options.usage.endpoint
        : client
          ? `${client.base}${USAGE_PATHS.events}`
          : null;
  const usage: UsageRecorder | null =
    usageEndpoint === null
      ? null
      : createUsageRecorder({
          options: resolveUsageOptions(typeof options.usage === 'object' ? options.usage : {}),
          endpoint: usageEndpoint,
          token: options.token ?? null,
          fetch: options.fetch ?? ((input, init) => fetch(input, init)),
          cacheDir: options.cacheDir,
          clock,
          warn,
        });
  const telemetry = options.telemetry === false ? null : createTelemetry();

  /** `get` with recording: the render's duration, then one O(1) record and the OpenTelemetry hook. */
  async function observedGet(
    address: string,
    params: Record<string, unknown> = {},
    opts?: GetOptions,
  ): Promise<GetResult> {
    const t0 = performance.now();
    const r = await render(address, params, opts);
    const ms = performance.now() - t0;
    // A call after close() is the caller's bug, not the prompt's usage.
    if (usage !== null && !closed) usage.render(address, params, r, ms);
    if (telemetry !== null) telemetry.record(address, r, t0, ms);
    return r;
  }
  const get = usage === null && telemetry === null ? render : observedGet;

  async function render(address: string, params: Record<string, unknown> = {}, opts?: GetOptions): Promise<GetResult> {
    if (closed) return fail(new AnvilSdkError({ code: 'closed', message: 'this Anvil client was closed' }), address);
    let req = requests.get(address);
    if (req === undefined) {
      try {
        req = parseRequest(address);
      } catch (e) {
        return fail(e, address);
      }
      requests.set(address, req);
    }
    let sel = selections.get(req.key);
    if (sel === undefined) {
      try {
        sel = await selectionFor(req);
      } catch (e) {
        return fail(e, address);
      }
    } else if (live && !feedLive && metas.stale(req.name)) {
      // Stale: this answer from what is cached, and one background refresh shared by every caller.
      if (metas.startRefresh(req.name)) schedule([req.name]);
    }
    let snapshot = sel.snapshot;
    let promptName = req.prompt;
    let variant: string | null = null;
    let experiment: string | null = null;
    if (sel.experiments.size > 0) {
      const exp = sel.experiments.get(req.prompt);
      if (exp !== undefined) {
        let chosen;
        try {
          chosen = chooseVariant(exp, opts?.unitKey);
        } catch (e) {
          return fail(e, address);
        }
        variant = chosen.key;
        experiment = exp.id;
        if ('prompt' in chosen.target) promptName = chosen.target.prompt;
        else {
          const target = sel.variants.get(chosen.target.version);
          if (target === undefined || target instanceof AnvilSdkError)
            return fail(
              target ??
                new AnvilSdkError({
                  code: 'unavailable',
                  message: `${address}: the variant "${chosen.key}" renders ${req.name}@${chosen.target.version}, which is not available`,
                }),
              address,
            );
          snapshot = target;
        }
      }
    }
    let prompt: PreparedPrompt | undefined;
    try {
      prompt = snapshot.prompt(promptName);
    } catch (e) {
      return fail(e, address);
    }
    if (prompt === undefined)
      return fail(
        new AnvilSdkError({
          code: 'unknown_prompt',
          message: `${address}: ${snapshot.name}@${snapshot.version} has no prompt "${promptName}" (it has ${snapshot.promptNames().join(', ') || 'none'})${variant !== null ? ` (the variant "${variant}" of the experiment "${experiment}")` : ''}`,
        }),
        address,
      );
    let scope = prompt.check(params);
    const rendered = (kind: 'text' | 'chat', text: string | undefined, messages: ChatMessage[] | undefined) =>
      new RenderedPrompt(
        kind,
        text,
        messages,
        snapshot.name,
        req.prompt,
        snapshot.version,
        address,
        prompt.model,
        prompt.schema,
        snapshot.source,
        sel.fallback,
        snapshot === sel.snapshot ? sel.deprecated : snapshot.deprecated,
        variant,
        experiment,
      ) as unknown as Rendered;
    try {
      if (scope === FAIL) scope = validateParameters(prompt.parameters, params);
      if (prompt.text !== null) {
        const text = await renderPrepared(engine, prompt.name, prompt.text, scope);
        return { ok: true, value: rendered('text', text, undefined) };
      }
      const history = validateHistory(opts?.history);
      const messages: ChatMessage[] = [];
      for (const [i, m] of prompt.messages.entries()) {
        if (m.history) messages.push(...history);
        else {
          try {
            messages.push({ role: m.role, content: await renderPrepared(engine, prompt.name, m.template, scope) });
          } catch (e) {
            const err = e as AnvilError;
            throw err.path === undefined ? new AnvilError({ ...err.toJSON(), path: `messages[${i}]` }) : err;
          }
        }
      }
      return { ok: true, value: rendered('chat', undefined, messages) };
    } catch (e) {
      return fail(e, address);
    }
  }

  return {
    mode,
    get,
    async getOrThrow(address: string, params?: Record<string, unknown>, opts?: GetOptions) {
      const r = await get(address, params, opts);
      if (!r.ok) throw r.error;
      return r.value;
    },
    on(event: 'update' | 'warning', listener: (e: never) => void) {
      const set = listeners[event] as Set<(e: never) => void>;
      set.add(listener);
      return () => set.delete(listener);
    },
    ready: () => follow.ready(),
    outcome(target: Rendered | string, outcome: OutcomeInput) {
      usage?.outcome(target, outcome);
    },
    flush: () => usage?.flush() ?? Promise.resolve(),
    usageStats: () => usage?.stats() ?? DISABLED_STATS,
    async close() {
      closed = true;
      await follow.close();
      await chain.catch(() => {});
      await usage?.close();
    },
  } as Anvil;
}
