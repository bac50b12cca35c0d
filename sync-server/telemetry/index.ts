// The sync server's own OpenTelemetry spans and metrics, through `@opentelemetry/api` only: a no-op until the
// host registers an OpenTelemetry SDK (global tracer / meter providers). Every name and attribute is listed here.
//
// Spans (instrumentation scope `anvil-sync-server`, version SERVER_VERSION):
//
//   `{method} {http.route}` (kind SERVER; `{method}` alone when no route matched, e.g. a 404): one per HTTP API
//     request, from the first byte handled to the handler's answer (for the registry feed: the stream opened).
//     http.request.method        GET, POST, …; `_OTHER` for a method outside the HTTP standard's
//     http.route                 the route template (`/api/registry/packages/@{project}/{set}`); absent when none
//     url.path                   the raw path (spans only, never a metric attribute)
//     http.response.status_code  the status answered
//     error.type                 on a 5xx only: the status code; the span's status is then ERROR
//     The incoming `traceparent` (with the host's propagator) is the parent; the span is active while the
//     request is handled, so the publish and ingestion spans below are its children (with a context manager).
//
//   `anvil.registry.publish` (INTERNAL): a publish request (`POST /api/registry/publish`, or `Registry.publish`
//     called directly), or a review's approval, which publishes.
//     anvil.package              `@project/set` (absent when a refusal came before the name was known)
//     anvil.version              the version asked for
//     anvil.publish.outcome      published | review (a review request was opened) | refused | error
//     anvil.publish.via          request | review (an approval)
//     anvil.error, error.type    refused / error: the error code (`version_published`, `publish_refused`, …)
//     Status ERROR for `error` (an unexpected failure, with the exception recorded); a refusal is not an error.
//
//   `anvil.usage.ingest` (INTERNAL): one usage batch (`POST /api/usage/events`).
//     anvil.events.accepted      events stored
//     anvil.events.duplicates    events whose id was already stored
//     anvil.events.rejected      events refused one by one (bad shape, unknown package, no role, …)
//     anvil.error, error.type    the whole batch refused (`invalid_request`, `too_large`): its code
//
// Metrics (same scope):
//
//   http.server.request.duration  histogram, s: HTTP API requests, by http.request.method, http.route (when one
//                                 matched), http.response.status_code, error.type (5xx)
//   anvil.registry.publishes      counter: publishes by anvil.publish.outcome, anvil.publish.via, error.type
//   anvil.usage.events            counter: usage events received, by anvil.event.outcome
//                                 (accepted | duplicate | rejected)
//   anvil.sync.connections        observable gauge: sync WebSockets open, all of the process's servers together
//   anvil.sync.documents          observable gauge: documents loaded in memory, all servers together
//   anvil.sync.document.loads     counter: documents loaded from storage, by anvil.document.outcome
//                                 (loaded | failed)
//
// Cost without an SDK: each instrumented call reads the two global providers, finds the API's no-op ones and
// calls straight through (about 80 ns per HTTP request on this machine); no span, no attribute object, no clock
// read. With one, routes are matched and attributes built only then.
import {
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  context,
  createNoopMeter,
  metrics,
  trace,
} from '@opentelemetry/api';
import type {
  Counter,
  Histogram,
  MeterProvider,
  ObservableResult,
  Span,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { AnvilError } from '../../shared/domain';
import type { PublishResult } from '../../shared/registry/api';
import type { UsageBatchResult } from '../../shared/usage/types';
import { statusOfCode } from '../api/backend';

/** The server's version (the root package.json's; `telemetry.test.ts` checks they agree). */
export const SERVER_VERSION = '0.1.0';
/** The instrumentation scope of every span and instrument. */
export const TELEMETRY_SCOPE = { name: 'anvil-sync-server', version: SERVER_VERSION } as const;

export const SPAN = {
  /** Spans of HTTP requests are named `{method} {route}` (or `{method}`), as OpenTelemetry's conventions say. */
  publish: 'anvil.registry.publish',
  ingest: 'anvil.usage.ingest',
} as const;

export const METRIC = {
  httpDuration: 'http.server.request.duration',
  publishes: 'anvil.registry.publishes',
  usageEvents: 'anvil.usage.events',
  connections: 'anvil.sync.connections',
  documents: 'anvil.sync.documents',
  documentLoads: 'anvil.sync.document.loads',
} as const;

export const ATTR = {
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  urlPath: 'url.path',
  errorType: 'error.type',
  package: 'anvil.package',
  version: 'anvil.version',
  publishOutcome: 'anvil.publish.outcome',
  publishVia: 'anvil.publish.via',
  error: 'anvil.error',
  eventsAccepted: 'anvil.events.accepted',
  eventsDuplicates: 'anvil.events.duplicates',
  eventsRejected: 'anvil.events.rejected',
  eventOutcome: 'anvil.event.outcome',
  documentOutcome: 'anvil.document.outcome',
} as const;

export type PublishOutcome = 'published' | 'review' | 'refused' | 'error';

/** Bounds (s) of the request duration histogram: OpenTelemetry's advice, with sub-millisecond steps for downloads. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface Instruments {
  httpDuration: Histogram;
  publishes: Counter;
  usageEvents: Counter;
  documentLoads: Counter;
}

// The API's no-op implementations, to tell "no SDK registered" apart from a real one without allocating.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NoopMeter = createNoopMeter().constructor;

let tracerFrom: TracerProvider | null = null;
let tracer: Tracer | null = null;
let meterFrom: MeterProvider | null = null;
let instruments: Instruments | null = null;

/** The scope's tracer when the host registered a tracer provider; null otherwise. Looked up on every call. */
export function currentTracer(): Tracer | null {
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if (provider === NOOP_TRACER_PROVIDER) return null;
  if (provider !== tracerFrom) {
    tracerFrom = provider;
    tracer = provider.getTracer(TELEMETRY_SCOPE.name, TELEMETRY_SCOPE.version);
  }
  return tracer;
}

/** The instruments when the host registered a meter provider; null otherwise. Made once per provider. */
export function currentInstruments(): Instruments | null {
  const provider = metrics.getMeterProvider();
  if (provider === meterFrom) return instruments;
  meterFrom = provider;
  const meter = provider.getMeter(TELEMETRY_SCOPE.name, TELEMETRY_SCOPE.version);
  if (meter instanceof NoopMeter) return (instruments = null);
  instruments = {
    httpDuration: meter.createHistogram(METRIC.httpDuration, {
      description: 'Duration of HTTP API requests',
      unit: 's',
      advice: { explicitBucketBoundaries: HTTP_BUCKETS },
    }),
    publishes: meter.createCounter(METRIC.publishes, {
      description: 'Registry publishes, by outcome',
      unit: '{publish}',
    }),
    usageEvents: meter.createCounter(METRIC.usageEvents, {
      description: 'Usage events received, by outcome',
      unit: '{event}',
    }),
    documentLoads: meter.createCounter(METRIC.documentLoads, {
      description: 'Documents loaded from storage, by outcome',
      unit: '{document}',
    }),
  };
  meter
    .createObservableGauge(METRIC.connections, { description: 'Sync WebSockets open', unit: '{connection}' })
    .addCallback((result: ObservableResult) => result.observe(sumOf((s) => s.sockets())));
  meter
    .createObservableGauge(METRIC.documents, { description: 'Documents loaded in memory', unit: '{document}' })
    .addCallback((result: ObservableResult) => result.observe(sumOf((s) => s.documents())));
  return instruments;
}

/** What a running sync server reports to the gauges. */
export interface SyncServerGauges {
  sockets(): number;
  documents(): number;
}

const servers = new Set<SyncServerGauges>();

function sumOf(read: (s: SyncServerGauges) => number): number {
  let n = 0;
  for (const s of servers) n += read(s);
  return n;
}

/** A server's sockets and documents join the gauges until the returned function is called (server closed). */
export function observeSyncServer(gauges: SyncServerGauges): () => void {
  servers.add(gauges);
  currentInstruments();
  return () => void servers.delete(gauges);
}

/** A document's stored state was loaded (or failed to). */
export function recordDocumentLoad(ok: boolean): void {
  currentInstruments()?.documentLoads.add(1, { [ATTR.documentOutcome]: ok ? 'loaded' : 'failed' });
}

/** Runs `fn` with `span` as the active span (the children it creates hang under it, given a context manager). */
function within<T>(span: Span | undefined, fn: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/** The code of a refusal, and whether it is one (an AnvilError answered below 500) rather than a failure. */
function failureOf(err: unknown): { code: string; refusal: boolean } {
  if (err instanceof AnvilError) return { code: err.code, refusal: statusOfCode(err.code) < 500 };
  const code = (err as { code?: unknown } | null)?.code;
  // ApiError (api/backend.ts) carries its status.
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof code === 'string' && typeof status === 'number') return { code, refusal: status < 500 };
  return { code: 'internal_error', refusal: false };
}

function markFailure(span: Span | undefined, err: unknown, refusal: boolean): void {
  if (!span || refusal) return;
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message ?? String(err) });
}

/**
 * Runs a publish (`run`) in an `anvil.registry.publish` span and counts its outcome. `resultOf` finds the
 * publish's result in what `run` answers (null: nothing was published, e.g. a review rejected: not counted).
 */
async function observePublish<T>(
  t: Tracer | null,
  m: Instruments | null,
  via: 'request' | 'review',
  version: unknown,
  run: () => Promise<T>,
  resultOf: (value: T) => PublishResult | null,
): Promise<T> {
  const span = t?.startSpan(SPAN.publish, {
    kind: SpanKind.INTERNAL,
    attributes: {
      [ATTR.publishVia]: via,
      ...(typeof version === 'string' ? { [ATTR.version]: version.slice(0, 256) } : {}),
    },
  });
  let outcome: PublishOutcome | null = null;
  let code: string | undefined;
  try {
    const value = await within(span, run);
    const result = resultOf(value);
    if (result) {
      outcome = result.status;
      const { name, version: published } = result.status === 'published' ? result : result.review;
      span?.setAttributes({ [ATTR.package]: name, [ATTR.version]: published });
    }
    return value;
  } catch (err) {
    const failure = failureOf(err);
    outcome = failure.refusal ? 'refused' : 'error';
    code = failure.code;
    const name = (err as { details?: { name?: unknown } } | null)?.details?.name;
    if (span) {
      if (typeof name === 'string') span.setAttribute(ATTR.package, name);
      span.setAttributes({ [ATTR.error]: code, [ATTR.errorType]: code });
      markFailure(span, err, failure.refusal);
    }
    throw err;
  } finally {
    if (outcome) {
      span?.setAttribute(ATTR.publishOutcome, outcome);
      m?.publishes.add(1, {
        [ATTR.publishOutcome]: outcome,
        [ATTR.publishVia]: via,
        ...(code === undefined ? {} : { [ATTR.errorType]: code }),
      });
    }
    span?.end();
  }
}

/** `Registry.publish`, in a span and counted (service.ts). */
export function instrumentPublish<C, R>(
  publish: (caller: C, request: R) => Promise<PublishResult>,
): (caller: C, request: R) => Promise<PublishResult> {
  return (caller, request) => {
    const t = currentTracer();
    const m = currentInstruments();
    if (t === null && m === null) return publish(caller, request);
    const version = (request as { version?: unknown } | null)?.version;
    return observePublish(
      t,
      m,
      'request',
      version,
      () => publish(caller, request),
      (r) => r,
    );
  };
}

/** `Registry.decide`: an approval publishes, in a span and counted; other decisions pass straight through. */
export function instrumentDecision<C, I, D, R extends { published: PublishResult | null }>(
  decide: (caller: C, id: I, decision: D) => Promise<R>,
): (caller: C, id: I, decision: D) => Promise<R> {
  return (caller, id, decision) => {
    if ((decision as { decision?: unknown } | null)?.decision !== 'approve') return decide(caller, id, decision);
    const t = currentTracer();
    const m = currentInstruments();
    if (t === null && m === null) return decide(caller, id, decision);
    return observePublish(
      t,
      m,
      'review',
      undefined,
      () => decide(caller, id, decision),
      (r) => r.published,
    );
  };
}

/** Usage ingestion (`usage/ingest.ts`), in an `anvil.usage.ingest` span, its events counted by outcome. */
export function instrumentIngest<C>(
  ingest: (caller: C, batch: unknown) => UsageBatchResult,
): (caller: C, batch: unknown) => UsageBatchResult {
  return (caller, batch) => {
    const t = currentTracer();
    const m = currentInstruments();
    if (t === null && m === null) return ingest(caller, batch);
    const span = t?.startSpan(SPAN.ingest, { kind: SpanKind.INTERNAL });
    try {
      const result = within(span, () => ingest(caller, batch));
      const rejected = result.rejected.length;
      span?.setAttributes({
        [ATTR.eventsAccepted]: result.accepted,
        [ATTR.eventsDuplicates]: result.duplicates,
        [ATTR.eventsRejected]: rejected,
      });
      if (m) {
        if (result.accepted > 0) m.usageEvents.add(result.accepted, { [ATTR.eventOutcome]: 'accepted' });
        if (result.duplicates > 0) m.usageEvents.add(result.duplicates, { [ATTR.eventOutcome]: 'duplicate' });
        if (rejected > 0) m.usageEvents.add(rejected, { [ATTR.eventOutcome]: 'rejected' });
      }
      return result;
    } catch (err) {
      if (span) {
        const failure = failureOf(err);
        span.setAttributes({ [ATTR.error]: failure.code, [ATTR.errorType]: failure.code });
        markFailure(span, err, failure.refusal);
      }
      throw err;
    } finally {
      span?.end();
    }
  };
}
