// The sync server's own OpenTelemetry, collected as a host would: the SDK's in-memory span exporter and a pull
// metric reader registered as the global providers (after the server started: the server looks them up on
// each call), a real server with accounts, registry and usage, and the names and attributes of what it recorded.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, metrics, trace } from '@opentelemetry/api';
import type { Attributes, Context, ContextManager } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncApiBackend } from '../api/backend';
import { openApiDocument } from '../registry/openapi';
import { commonSet } from '../registry/testing';
import { createSyncServer } from '../server/create';
import { connect, removeDirs, tempDir, testAuthenticate, until } from '../server/testing';
import type { UsageServer, UsageWorld } from '../usage/testing';
import { render, startUsageServer, usageWorld } from '../usage/testing';
import { httpRouteOf } from './http';
import { ATTR, METRIC, SERVER_VERSION, SPAN, TELEMETRY_SCOPE, currentInstruments, currentTracer } from './index';

/** A pull reader: metrics are read when the test asks. */
class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a host's SDK registers (`@opentelemetry/context-async-hooks`): the active span follows async calls. */
class AsyncContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

const dirs: string[] = [];
const exporter = new InMemorySpanExporter();
const reader = new TestReader();
let world: UsageWorld | undefined;
let srv: UsageServer | undefined;

afterAll(async () => {
  await srv?.close();
  world?.close();
  trace.disable();
  metrics.disable();
  context.disable();
  removeDirs(dirs);
});

function register(): void {
  expect(context.setGlobalContextManager(new AsyncContextManager())).toBe(true);
  const tracing = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  expect(trace.setGlobalTracerProvider(tracing)).toBe(true);
  expect(metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))).toBe(true);
}

async function collect(): Promise<MetricData[]> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics.scopeMetrics
    .filter((s) => s.scope.name === TELEMETRY_SCOPE.name && s.scope.version === SERVER_VERSION)
    .flatMap((s) => s.metrics);
}

function pointsOf<T = number>(all: MetricData[], name: string): DataPoint<T>[] {
  return (all.find((m) => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<T>[];
}

/** The value of the one point whose attributes are exactly `attributes` (undefined when none). */
function valueAt<T = number>(all: MetricData[], name: string, attributes: Attributes): T | undefined {
  const matching = pointsOf<T>(all, name).filter((p) => sameAttributes(p.attributes, attributes));
  expect(matching.length).toBeLessThanOrEqual(1);
  return matching[0]?.value;
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function spansNamed(name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((s) => s.name === name);
}

function parentOf(span: ReadableSpan): ReadableSpan | undefined {
  const id = span.parentSpanContext?.spanId;
  return exporter.getFinishedSpans().find((s) => s.spanContext().spanId === id);
}

const PUBLISH_ROUTE = '/api/registry/publish';
const METADATA_ROUTE = '/api/registry/packages/@{project}/{set}';
const BUNDLE_ROUTE = '/api/registry/packages/@{project}/{set}/-/{version}';
const EVENTS_ROUTE = '/api/usage/events';

describe("the sync server's OpenTelemetry", () => {
  it('without an SDK nothing is recorded and the server answers as ever; a later SDK is picked up', async () => {
    world = await usageWorld(dirs);
    srv = await startUsageServer(world);
    const { call, tokens } = srv;
    expect(currentTracer()).toBeNull();
    expect(currentInstruments()).toBeNull();
    const published = await call('POST', PUBLISH_ROUTE, tokens.ed, {
      projectId: 'p1',
      content: commonSet(),
      version: '1.1.0',
    });
    expect(published.status).toBe(201);
    expect((await call('GET', '/api/registry/packages/@acme/common', tokens.vi)).status).toBe(200);
    const batch = await call('POST', EVENTS_ROUTE, tokens.vi, { client: 'otel/1', events: [render()], dropped: 0 });
    expect(batch.json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await call('GET', '/api/nope', tokens.vi)).status).toBe(404);
    // Nothing reached the (unregistered) SDK: the API's no-op tracer and meter were all there was.
    expect(exporter.getFinishedSpans()).toEqual([]);

    register();
    expect(currentTracer()).not.toBeNull();
    expect((await call('GET', '/healthz', null)).status).toBe(200);
    const [health] = spansNamed('GET /healthz');
    expect(health?.kind).toBe(SpanKind.SERVER);
    expect(health?.instrumentationScope).toMatchObject({ name: 'anvil-sync-server', version: SERVER_VERSION });
    // Counters start at registration: the requests before it are nowhere.
    const all = await collect();
    expect(pointsOf(all, METRIC.publishes)).toEqual([]);
    expect(pointsOf(all, METRIC.usageEvents)).toEqual([]);
    expect(pointsOf<Histogram>(all, METRIC.httpDuration).map((p) => p.attributes[ATTR.httpRoute])).toEqual([
      '/healthz',
    ]);
  });

  it('spans and metrics of publishes, reads, a usage batch, a 404 and a sync connection', async () => {
    const { call, tokens } = srv as UsageServer;
    exporter.reset();
    const publish = (version: string) =>
      call('POST', PUBLISH_ROUTE, tokens.ed, { projectId: 'p1', content: commonSet(), version });
    expect((await publish('1.2.0')).status).toBe(201);
    expect((await publish('1.2.0')).status).toBe(409);
    expect((await call('PUT', '/api/projects/p1/edit-mode', tokens.ed, { editMode: 'review' })).status).toBe(200);
    const review = await publish('1.3.0');
    expect(review.status).toBe(202);
    const reviewId = (review.json as { review: { id: string } }).review.id;
    const approved = await call('POST', `/api/reviews/${reviewId}/decision`, tokens.root, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect((await call('GET', '/api/registry/packages/@acme/common', tokens.vi)).status).toBe(200);
    expect((await call('GET', '/api/registry/packages/@acme%2Fcommon/-/1.2.0', tokens.vi)).status).toBe(200);
    const [r1, r2] = [render(), render()];
    const first = await call('POST', EVENTS_ROUTE, tokens.vi, {
      client: 'otel/1',
      events: [r1, r2, render({ name: '@acme/nothing' })],
      dropped: 0,
    });
    expect(first.json).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await call('POST', EVENTS_ROUTE, tokens.vi, { client: 'otel/1', events: [r1] })).status).toBe(200);
    expect((await call('GET', '/api/nope', tokens.vi)).status).toBe(404);

    // HTTP: one SERVER span per request, named and attributed by the route template, never the raw path.
    const posts = spansNamed(`POST ${PUBLISH_ROUTE}`);
    expect(posts.map((s) => s.attributes[ATTR.httpStatus])).toEqual([201, 409, 202]);
    for (const s of posts) {
      expect(s.kind).toBe(SpanKind.SERVER);
      expect(s.status.code).toBe(SpanStatusCode.UNSET);
      expect(s.attributes).toMatchObject({ [ATTR.httpMethod]: 'POST', [ATTR.httpRoute]: PUBLISH_ROUTE });
    }
    expect(spansNamed(`GET ${METADATA_ROUTE}`)[0]?.attributes).toEqual({
      [ATTR.httpMethod]: 'GET',
      [ATTR.httpRoute]: METADATA_ROUTE,
      [ATTR.urlPath]: '/api/registry/packages/@acme/common',
      [ATTR.httpStatus]: 200,
    });
    expect(spansNamed(`GET ${BUNDLE_ROUTE}`)).toHaveLength(1);
    expect(spansNamed('PUT /api/projects/{projectId}/edit-mode')).toHaveLength(1);
    expect(spansNamed('POST /api/reviews/{id}/decision')).toHaveLength(1);
    const [notFound] = spansNamed('GET');
    expect(notFound?.attributes[ATTR.httpRoute]).toBeUndefined();
    expect(notFound?.attributes[ATTR.httpStatus]).toBe(404);
    expect(notFound?.status.code).toBe(SpanStatusCode.UNSET);

    // Publishes: outcome, package and version, each a child of its request's span.
    const publishes = spansNamed(SPAN.publish);
    expect(publishes.map((s) => s.attributes)).toEqual([
      {
        [ATTR.publishVia]: 'request',
        [ATTR.version]: '1.2.0',
        [ATTR.package]: '@acme/common',
        [ATTR.publishOutcome]: 'published',
      },
      {
        [ATTR.publishVia]: 'request',
        [ATTR.version]: '1.2.0',
        [ATTR.package]: '@acme/common',
        [ATTR.error]: 'version_published',
        [ATTR.errorType]: 'version_published',
        [ATTR.publishOutcome]: 'refused',
      },
      {
        [ATTR.publishVia]: 'request',
        [ATTR.version]: '1.3.0',
        [ATTR.package]: '@acme/common',
        [ATTR.publishOutcome]: 'review',
      },
      {
        [ATTR.publishVia]: 'review',
        [ATTR.version]: '1.3.0',
        [ATTR.package]: '@acme/common',
        [ATTR.publishOutcome]: 'published',
      },
    ]);
    expect(publishes.map((s) => parentOf(s)?.name)).toEqual([
      `POST ${PUBLISH_ROUTE}`,
      `POST ${PUBLISH_ROUTE}`,
      `POST ${PUBLISH_ROUTE}`,
      'POST /api/reviews/{id}/decision',
    ]);
    for (const s of publishes) {
      expect(s.status.code).toBe(SpanStatusCode.UNSET);
      expect(s.spanContext().traceId).toBe(parentOf(s)?.spanContext().traceId);
    }

    // Usage batches.
    const batches = spansNamed(SPAN.ingest);
    expect(batches.map((s) => s.attributes)).toEqual([
      { [ATTR.eventsAccepted]: 2, [ATTR.eventsDuplicates]: 0, [ATTR.eventsRejected]: 1 },
      { [ATTR.eventsAccepted]: 0, [ATTR.eventsDuplicates]: 1, [ATTR.eventsRejected]: 0 },
    ]);
    expect(batches.map((s) => parentOf(s)?.name)).toEqual([`POST ${EVENTS_ROUTE}`, `POST ${EVENTS_ROUTE}`]);

    // A sync connection: the gauges see its socket and its document while it is open.
    const client = connect((srv as UsageServer).server.url, 'p1/otel-doc', tokens.ed);
    await client.ready;
    // An edit acknowledged: the server has checked and applied everything the client sent.
    client.text.insert(0, 'hello');
    await until('the edit was acknowledged', () => !client.provider.hasUnsyncedChanges);
    let all = await collect();
    expect(valueAt(all, METRIC.connections, {})).toBe(1);
    expect(valueAt(all, METRIC.documents, {})).toBe(1);
    expect(valueAt(all, METRIC.documentLoads, { [ATTR.documentOutcome]: 'loaded' })).toBe(1);
    client.close();
    for (let tries = 0; ; tries++) {
      all = await collect();
      // Hocuspocus unloads a document once its last connection has left and what it sent was handled.
      if (valueAt(all, METRIC.connections, {}) === 0 && valueAt(all, METRIC.documents, {}) === 0) break;
      if (tries > 250) throw new Error('the socket was never closed or the document never unloaded');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const duration = (route: string | undefined, status: number, method = 'POST') =>
      valueAt<Histogram>(all, METRIC.httpDuration, {
        [ATTR.httpMethod]: method,
        [ATTR.httpStatus]: status,
        ...(route === undefined ? {} : { [ATTR.httpRoute]: route }),
      });
    for (const status of [201, 409, 202]) expect(duration(PUBLISH_ROUTE, status)?.count).toBe(1);
    expect(duration(METADATA_ROUTE, 200, 'GET')?.count).toBe(1);
    expect(duration(BUNDLE_ROUTE, 200, 'GET')?.count).toBe(1);
    expect(duration(EVENTS_ROUTE, 200)?.count).toBe(2);
    const missing = duration(undefined, 404, 'GET');
    expect(missing?.count).toBe(1);
    expect(missing?.sum).toBeGreaterThan(0);
    expect(all.find((m) => m.descriptor.name === METRIC.httpDuration)?.descriptor.unit).toBe('s');

    expect(valueAt(all, METRIC.publishes, { [ATTR.publishOutcome]: 'published', [ATTR.publishVia]: 'request' })).toBe(
      1,
    );
    expect(valueAt(all, METRIC.publishes, { [ATTR.publishOutcome]: 'review', [ATTR.publishVia]: 'request' })).toBe(1);
    expect(
      valueAt(all, METRIC.publishes, {
        [ATTR.publishOutcome]: 'refused',
        [ATTR.publishVia]: 'request',
        [ATTR.errorType]: 'version_published',
      }),
    ).toBe(1);
    expect(valueAt(all, METRIC.publishes, { [ATTR.publishOutcome]: 'published', [ATTR.publishVia]: 'review' })).toBe(1);
    expect(valueAt(all, METRIC.usageEvents, { [ATTR.eventOutcome]: 'accepted' })).toBe(2);
    expect(valueAt(all, METRIC.usageEvents, { [ATTR.eventOutcome]: 'duplicate' })).toBe(1);
    expect(valueAt(all, METRIC.usageEvents, { [ATTR.eventOutcome]: 'rejected' })).toBe(1);
  });

  it('a 5xx answer is an error span, and error.type on the duration', async () => {
    const failing: SyncApiBackend = {
      authenticate: () => ({ accountId: 'a', name: 'a', serverAdmin: false }),
      listProjects: () => {
        throw new Error('the backend broke');
      },
      registerProject: () => {
        throw new Error('unused');
      },
      listVersions: () => ({ versions: [], next: 0 }),
      proposeVersion: () => {
        throw new Error('unused');
      },
    };
    const server = await createSyncServer({ dataDir: tempDir(dirs), authenticate: testAuthenticate, api: failing });
    try {
      exporter.reset();
      const res = await fetch(`${server.httpUrl}/api/projects`, { headers: { authorization: 'Bearer t' } });
      expect(res.status).toBe(500);
      const [span] = spansNamed('GET /api/projects');
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes).toMatchObject({ [ATTR.httpStatus]: 500, [ATTR.errorType]: '500' });
      const all = await collect();
      expect(
        valueAt<Histogram>(all, METRIC.httpDuration, {
          [ATTR.httpMethod]: 'GET',
          [ATTR.httpRoute]: '/api/projects',
          [ATTR.httpStatus]: 500,
          [ATTR.errorType]: '500',
        })?.count,
      ).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('names every route of the OpenAPI document by its template, and nothing else', () => {
    const paths = Object.keys((openApiDocument({ registry: true, usage: true }) as { paths: object }).paths);
    expect(paths.length).toBeGreaterThan(20);
    for (const template of paths) {
      const path = template.replace('@{project}/{set}', '@acme/support').replace(/\{[^}]+\}/g, 'x-1');
      expect(httpRouteOf(path), path).toBe(template);
    }
    expect(httpRouteOf('/api/registry/packages/@acme%2Fsupport')).toBe(METADATA_ROUTE);
    expect(httpRouteOf('/api/registry/packages/%40acme%2Fsupport/-/1.0.0')).toBe(BUNDLE_ROUTE);
    for (const path of [
      '/',
      '/api',
      '/api/nope',
      '/api/registry/packages/@acme',
      '/api/registry/packages/acme/support',
      '/api/registry/packages/@acme/support/nope',
      '/api/registry/packages/@acme/support/-/1.0.0/more',
      '/api/reviews/1/2/3',
      '/api/projects/p1/versions/x',
    ])
      expect(httpRouteOf(path), path).toBeUndefined();
  });

  it('names itself with the server version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(TELEMETRY_SCOPE).toEqual({ name: 'anvil-sync-server', version: pkg.version });
  });
});
