import type { ChangeClass } from '../../shared/domain';
import type { Experiment, ExperimentStatus } from '../../shared/experiments';
import type { ExperimentRecord } from '../../shared/registry/api';
import type {
  EditMode,
  FeedEvent,
  PublishProblem,
  PublishedVersion,
  ReviewComment,
  ReviewRequest,
  ReviewState,
} from '../../shared/registry/types';

/** Rows of registry.db (see schema.ts) and how they read as the API's types. */

export interface PackageRow {
  name: string;
  project_id: string;
  set_id: string;
  created_at: string;
  modified_at: string;
  revision: number;
}

export interface VersionRow {
  id: number;
  name: string;
  version: string;
  integrity: string;
  size: number;
  published_at: string;
  published_by: string;
  author: string;
  changelog: string;
  change_class: ChangeClass;
  override: string | null;
  description: string;
  dependencies: string;
  prompts: string;
  search_text: string;
  team_version_id: string;
  deprecated: string | null;
}

export interface PromptInfo {
  name: string;
  description: string;
}

export interface EventRow {
  id: number;
  type: FeedEvent['type'];
  name: string;
  project_id: string;
  set_id: string;
  payload: string;
  at: string;
}

export interface EditModeRow {
  project_id: string;
  mode: EditMode;
}

export interface ReviewRow {
  id: string;
  project_id: string;
  set_id: string;
  name: string;
  version: string;
  version_id: string;
  author_id: string;
  author_name: string;
  state: ReviewState;
  created_at: string;
  updated_at: string;
  base_version: string | null;
  notes: string;
  override: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export interface CommentRow {
  seq: number;
  id: string;
  review_id: string;
  author_id: string;
  author_name: string;
  body: string;
  anchor: string | null;
  created_at: string;
}

export interface ExperimentRow {
  name: string;
  id: string;
  prompt: string;
  definition: string;
  definition_version: number;
  status: ExperimentStatus;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  event_id: number;
}

export interface DefinitionRow {
  name: string;
  id: string;
  definition_version: number;
  definition: string;
  status: ExperimentStatus;
  created_at: string;
  created_by: string;
  event_id: number;
}

export function experimentOfRow(row: Pick<ExperimentRow, 'definition'>): Experiment {
  return JSON.parse(row.definition) as Experiment;
}

export function toExperimentRecord(row: ExperimentRow, current: boolean): ExperimentRecord {
  return {
    name: row.name,
    experiment: experimentOfRow(row),
    current,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function promptsOfRow(row: VersionRow): PromptInfo[] {
  return JSON.parse(row.prompts) as PromptInfo[];
}

export function toPublishedVersion(row: VersionRow): PublishedVersion {
  return {
    version: row.version,
    integrity: row.integrity,
    size: row.size,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    author: row.author,
    changelog: row.changelog,
    changeClass: row.change_class,
    override: row.override,
    dependencies: JSON.parse(row.dependencies) as Record<string, string>,
    prompts: promptsOfRow(row).map((p) => p.name),
    deprecated: row.deprecated,
  };
}

export function toFeedEvent(row: EventRow): FeedEvent {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  return {
    ...payload,
    id: row.id,
    type: row.type,
    name: row.name,
    projectId: row.project_id,
    setId: row.set_id,
    at: row.at,
  } as FeedEvent;
}

export function toComment(row: CommentRow): ReviewComment {
  return {
    id: row.id,
    reviewId: row.review_id,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
    anchor: row.anchor === null ? null : (JSON.parse(row.anchor) as ReviewComment['anchor']),
  };
}

export function toReview(row: ReviewRow, comments: CommentRow[]): ReviewRequest {
  return {
    id: row.id,
    projectId: row.project_id,
    setId: row.set_id,
    name: row.name,
    version: row.version,
    versionId: row.version_id,
    authorId: row.author_id,
    authorName: row.author_name,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    baseVersion: row.base_version,
    notes: JSON.parse(row.notes) as PublishProblem[],
    override: row.override,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    comments: comments.map(toComment),
  };
}
