// OpenTelemetry as an application would collect it: the SDK's in-memory span exporter and a metric reader,
// registered as the global providers (after the Anvil client was created, as happens when instrumentation is
// set up late), then the names and attributes of what `get` produced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData, SumMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../../../shared/experiments/types';
import type { Lockfile } from '../../../shared/registry/lockfile';
import { createAnvil } from '../anvil';
import type { Anvil } from '../anvil';
import { METRIC_DURATION, METRIC_RENDERS, SPAN_NAME, TELEMETRY_SCOPE } from './telemetry';
import { seedCache } from './test-kit';

/** A pull reader: metrics are read when the test asks. */
class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** A stopped experiment on `triage`: every unit gets its winner, `b`, which renders `triage` itself. */
const EXPERIMENT: Experiment = {
  id: 'exp-triage',
  name: 'Triage',
  prompt: '@acme/support/triage',
  status: 'stopped',
  winner: 'b',
  variants: [
    { key: 'a', weight: 1, target: { prompt: 'triage' } },
    { key: 'b', weight: 1, target: { prompt: 'triage' } },
  ],
  unit: 'userId',
  metric: { name: 'resolved', kind: 'rate' },
  salt: 'exp-triage',
  version: 2,
};

let dir: string;
let lockfile: Lockfile;
const opened: Anvil[] = [];
const open = (telemetry?: boolean): Anvil => {
  const a = createAnvil({ cacheDir: dir, lockfile, mode: 'locked', usage: false, telemetry });
  opened.push(a);
  return a;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'anvil-otel-'));
  const seeded = await seedCache(dir);
  const support = seeded.sets['@acme/support'];
  if (!support) throw new Error('seedCache locks @acme/support');
  lockfile = { ...seeded, sets: { '@acme/support': { ...support, experiments: [EXPERIMENT] } } };
});
afterAll(async () => {
  for (const a of opened) await a.close();
  trace.disable();
  metrics.disable();
  rmSync(dir, { recursive: true, force: true });
});

describe('OpenTelemetry', () => {
  it('a span per get and render metrics, once the application registers an SDK', async () => {
    const anvil = open();
    const off = open(false);
    // No SDK yet: the API is a no-op and get works as ever.
    expect((await anvil.get('@acme/support/greet', { customer: 'Ada' })).ok).toBe(true);

    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    expect(trace.setGlobalTracerProvider(tracerProvider)).toBe(true);
    const reader = new TestReader();
    expect(metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))).toBe(true);

    const ok = await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
    await anvil.get('@acme/support/greet', {});
    const tested = await anvil.getOrThrow('@acme/support/triage', { ticket: 't' }, { unitKey: 'user-1' });
    expect([tested.variant, tested.experiment]).toEqual(['b', 'exp-triage']);
    await off.get('@acme/support/greet', { customer: 'Ada' });

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual([SPAN_NAME, SPAN_NAME, SPAN_NAME]);
    const [good, bad, experiment] = spans;
    expect(good?.instrumentationScope).toMatchObject(TELEMETRY_SCOPE);
    expect(good?.kind).toBe(SpanKind.INTERNAL);
    expect(good?.attributes).toEqual({
      'anvil.address': '@acme/support/greet',
      'anvil.name': '@acme/support',
      'anvil.prompt': 'greet',
      'anvil.version': ok.version,
      'anvil.source': 'cache',
      'anvil.fallback': false,
    });
    expect(good?.status.code).toBe(SpanStatusCode.UNSET);
    const [s, ns] = good?.duration ?? [-1, 0];
    expect(s * 1e3 + ns / 1e6).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThan(5);
    expect(bad?.attributes).toEqual({
      'anvil.address': '@acme/support/greet',
      'anvil.error': 'invalid_parameters',
      'error.type': 'invalid_parameters',
    });
    expect(bad?.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.stringMatching(/customer/) });
    // A render that served an experiment's variant says which, and of which experiment.
    expect(experiment?.attributes).toEqual({
      'anvil.address': '@acme/support/triage',
      'anvil.name': '@acme/support',
      'anvil.prompt': 'triage',
      'anvil.version': '1.0.0',
      'anvil.variant': 'b',
      'anvil.experiment': 'exp-triage',
      'anvil.source': 'cache',
      'anvil.fallback': false,
    });

    const { resourceMetrics } = await reader.collect();
    const scope = resourceMetrics.scopeMetrics.find((m) => m.scope.name === TELEMETRY_SCOPE.name);
    const byName = new Map(scope?.metrics.map((m) => [m.descriptor.name, m]));
    const renders = byName.get(METRIC_RENDERS) as SumMetricData;
    expect(renders.descriptor.unit).toBe('{render}');
    expect(renders.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [
        {
          'anvil.name': '@acme/support',
          'anvil.prompt': 'greet',
          'anvil.version': '1.0.0',
          'anvil.source': 'cache',
          'anvil.fallback': false,
        },
        1,
      ],
      [
        {
          'anvil.address': '@acme/support/greet',
          'anvil.error': 'invalid_parameters',
          'error.type': 'invalid_parameters',
        },
        1,
      ],
      [
        {
          'anvil.name': '@acme/support',
          'anvil.prompt': 'triage',
          'anvil.version': '1.0.0',
          'anvil.variant': 'b',
          'anvil.experiment': 'exp-triage',
          'anvil.source': 'cache',
          'anvil.fallback': false,
        },
        1,
      ],
    ]);
    const duration = byName.get(METRIC_DURATION) as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('ms');
    expect(duration.dataPoints.map((p) => p.value.count)).toEqual([1, 1, 1]);
    expect(duration.dataPoints[0]?.value.buckets.boundaries[0]).toBe(0.05);
  });
});
