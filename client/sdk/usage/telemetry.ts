import { ProxyTracerProvider, SpanKind, SpanStatusCode, createNoopMeter, metrics, trace } from '@opentelemetry/api';
import type { Attributes, Counter, Histogram, MeterProvider, Tracer, TracerProvider } from '@opentelemetry/api';
import type { GetResult } from '../result';
import { SDK_CLIENT } from './sender';

/** The instrumentation scope of every span and instrument (name and version of `@anvil/client`). */
export const TELEMETRY_SCOPE = { name: '@anvil/client', version: SDK_CLIENT.slice(SDK_CLIENT.lastIndexOf('/') + 1) };
/** One span per `get` / `getOrThrow`. */
export const SPAN_NAME = 'anvil.get';
/** A counter of renders, and a histogram of `get`'s duration in ms. */
export const METRIC_RENDERS = 'anvil.renders';
export const METRIC_DURATION = 'anvil.render.duration';
/** Attribute names on spans and metrics. */
export const ATTR = {
  address: 'anvil.address',
  name: 'anvil.name',
  prompt: 'anvil.prompt',
  version: 'anvil.version',
  /** The experiment variant's key and the experiment's id, only on a render that served one. */
  variant: 'anvil.variant',
  experiment: 'anvil.experiment',
  source: 'anvil.source',
  fallback: 'anvil.fallback',
  error: 'anvil.error',
  /** OpenTelemetry's own attribute for a failed operation: the same code as `anvil.error`. */
  errorType: 'error.type',
} as const;

/** Bucket bounds (ms) fit for renders, which take microseconds to milliseconds, not the default's seconds. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export interface Telemetry {
  /** After a `get`: a span and the metrics, when the application configured an OpenTelemetry SDK; else nothing. */
  record(address: string, result: GetResult, t0: number, ms: number): void;
}

// The API's no-op implementations, to tell "no SDK configured" apart from a real one without allocating.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NoopMeter = createNoopMeter().constructor;

/**
 * OpenTelemetry through `@opentelemetry/api` only. The global providers are looked up on every call (a property
 * read), so an SDK the application registers after `createAnvil` is picked up; until then the cost is that
 * lookup: no span, no attribute object, no instrument call.
 */
export function createTelemetry(): Telemetry {
  let tracerFrom: TracerProvider | null = null;
  let tracer: Tracer | null = null;
  let meterFrom: MeterProvider | null = null;
  let renders: Counter | null = null;
  let duration: Histogram | null = null;

  const currentTracer = (): Tracer | null => {
    const global = trace.getTracerProvider();
    const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
    if (provider === NOOP_TRACER_PROVIDER) return null;
    if (provider !== tracerFrom) {
      tracerFrom = provider;
      tracer = provider.getTracer(TELEMETRY_SCOPE.name, TELEMETRY_SCOPE.version);
    }
    return tracer;
  };

  const currentInstruments = (): boolean => {
    const provider = metrics.getMeterProvider();
    if (provider !== meterFrom) {
      meterFrom = provider;
      const meter = provider.getMeter(TELEMETRY_SCOPE.name, TELEMETRY_SCOPE.version);
      if (meter instanceof NoopMeter) {
        renders = null;
        duration = null;
      } else {
        renders = meter.createCounter(METRIC_RENDERS, { description: 'Prompts rendered by get', unit: '{render}' });
        duration = meter.createHistogram(METRIC_DURATION, {
          description: 'Time spent in get, from the call to the rendered prompt',
          unit: 'ms',
          advice: { explicitBucketBoundaries: DURATION_BUCKETS },
        });
      }
    }
    return renders !== null;
  };

  return {
    record(address, result, t0, ms) {
      const t = currentTracer();
      const m = currentInstruments();
      if (t === null && !m) return;
      const attributes: Attributes = { [ATTR.address]: address };
      if (result.ok) {
        const v = result.value;
        attributes[ATTR.name] = v.name;
        attributes[ATTR.prompt] = v.prompt;
        attributes[ATTR.version] = v.version;
        if (v.variant !== null) {
          attributes[ATTR.variant] = v.variant;
          if (v.experiment !== null) attributes[ATTR.experiment] = v.experiment;
        }
        attributes[ATTR.source] = v.source;
        attributes[ATTR.fallback] = v.fallback;
      } else {
        attributes[ATTR.error] = result.error.code;
        attributes[ATTR.errorType] = result.error.code;
      }
      if (t !== null) {
        // Made at the end with the start time taken before the render: nothing on the render's way in.
        const span = t.startSpan(SPAN_NAME, { kind: SpanKind.INTERNAL, startTime: t0, attributes });
        if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
        span.end(t0 + ms);
      }
      if (m) {
        // A success is named by set, prompt and version (the address adds only its selector); a failure by
        // its address, which may not even parse.
        let dims = attributes;
        if (result.ok) {
          const { [ATTR.address]: _address, ...rest } = attributes;
          dims = rest;
        }
        renders?.add(1, dims);
        duration?.record(ms, dims);
      }
    },
  };
}
