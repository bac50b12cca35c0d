export {
  ExperimentSchema,
  EXPERIMENT_LIMITS,
  checkExperiment,
  parseExperiment,
  checkExperimentList,
  experimentFor,
  type Experiment,
  type ExperimentInput,
  type ExperimentIssue,
  type ExperimentStatus,
  type Variant,
  type VariantTarget,
  type OutcomeMetric,
  type MetricKind,
} from './types';
export { assignVariant, bucketOf, bucketEnds, BUCKETS } from './assign';
export { murmur3, murmur3String } from './hash';
export {
  experimentResults,
  wilsonInterval,
  rateDifference,
  meanInterval,
  meanDifference,
  meanAndVariance,
  studentTCdf,
  tCritical95,
  Z95,
  type Interval,
  type MetricSums,
  type VariantResult,
  type ExperimentResults,
  type ResultOptions,
} from './stats';
