export { createUsageRecorder, DISABLED_STATS } from './recorder';
export type { UsageRecorder } from './recorder';
export { resolveUsageOptions } from './options';
export type { UsageOptions, UsageStats } from './options';
export type { OutcomeInput } from './records';
export { createTelemetry, SPAN_NAME, METRIC_RENDERS, METRIC_DURATION, ATTR as TELEMETRY_ATTRIBUTES } from './telemetry';
export type { Telemetry } from './telemetry';
