export { classifyChange } from './classify';
export {
  suggestNextVersion,
  checkProposedVersion,
  FIRST_VERSION,
  type ProposedVersion,
  type VersionCheck,
} from './versions';
export {
  REASON_CLASS,
  maxClass,
  type ChangeReason,
  type ChangeClassification,
  type ReasonCode,
  type ReasonClass,
} from './reasons';
