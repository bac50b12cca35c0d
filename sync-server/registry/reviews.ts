import { randomUUID } from 'node:crypto';
import { AnvilError, PromptSetContent } from '../../shared/domain';
import type { PublishResult, ReviewDecision, ReviewDetail, ReviewSummary } from '../../shared/registry/api';
import type { ReviewComment, ReviewRequest, ReviewState } from '../../shared/registry/types';
import type { AccountStore } from '../accounts';
import type { ApiCaller } from '../api/backend';
import type { TeamVersionStore } from '../versions';
import type { RegistryAccess } from './access';
import type { PreparedPublish } from './prepare';
import type { Publisher } from './publisher';
import type { ReviewRow } from './rows';
import { toComment, toReview } from './rows';
import type { Tables } from './tables';
import type { Registry } from './types';

export interface ReviewDeps {
  t: Tables;
  access: RegistryAccess;
  accounts: AccountStore;
  versions: TeamVersionStore;
  publisher: Publisher;
  now: () => string;
  audit(
    caller: ApiCaller,
    action: string,
    entityKind: string,
    entityId: string,
    details: Record<string, unknown>,
  ): void;
  /** Audits a refused publish and throws the error. */
  refuse(caller: ApiCaller, entity: string, err: unknown, details: Record<string, unknown>): never;
}

const PENDING: readonly ReviewState[] = ['open', 'changes_requested'];
const STATES: readonly ReviewState[] = ['open', 'changes_requested', 'approved', 'rejected', 'withdrawn'];
const MAX_COMMENT = 20_000;
const MAX_NOTE = 4000;
const MAX_LIST = 500;

type ReviewMethods = Pick<Registry, 'reviews' | 'review' | 'comment' | 'decide'> & {
  /** Opens a review request for a checked publish, or answers the pending one for the same version. */
  open(caller: ApiCaller, prepared: PreparedPublish): ReviewRequest;
};

/**
 * Review requests of projects in `review` mode: opened by a publish, commented on by writers, decided by project
 * admins (never by their author, unless a server admin). Approving re-runs the publish checks and publishes in the
 * same transaction as the decision, so an approved request always has its version and a failed one stays open.
 */
export function createReviews(deps: ReviewDeps): ReviewMethods {
  const { t, access, accounts, versions, publisher, now } = deps;
  const db = t.db;

  const load = (row: ReviewRow): ReviewRequest => toReview(row, t.commentsOf(row.id));
  const mustFind = (id: unknown): ReviewRow => {
    const row = typeof id === 'string' && id.length <= 64 ? t.reviewById(id) : undefined;
    if (!row)
      throw new AnvilError({
        code: 'unknown_review',
        message: `There is no review request "${String(id).slice(0, 80)}".`,
      });
    return row;
  };
  const closed = (row: ReviewRow) =>
    new AnvilError({
      code: 'review_closed',
      message: `The review request for ${row.name}@${row.version} is ${row.state.replace('_', ' ')}${row.decided_by ? ` (by ${row.decided_by})` : ''}; it takes no more decisions or comments.`,
    });
  const isServerAdmin = (caller: ApiCaller) => accounts.getUser(caller.accountId)?.serverAdmin === true;
  const contentOf = (versionId: string): string | null => versions.get(versionId)?.content ?? null;

  const insertReview = db.prepare(
    `INSERT INTO reviews (id, project_id, set_id, name, version, version_id, author_id, author_name, state,
       created_at, updated_at, base_version, notes, override, decided_by, decided_at, decision_note)
     VALUES (@id, @project_id, @set_id, @name, @version, @version_id, @author_id, @author_name, 'open',
       @at, @at, @base_version, @notes, @override, NULL, NULL, NULL)`,
  );
  const supersede = db.prepare(
    `UPDATE reviews SET state = 'withdrawn', updated_at = ?, decision_note = ?
     WHERE project_id = ? AND set_id = ? AND state = 'changes_requested' AND id != ?`,
  );
  const decideRow = db.prepare(
    `UPDATE reviews SET state = @state, decided_by = @by, decided_at = @at, decision_note = @note, updated_at = @at,
       base_version = coalesce(@base, base_version)
     WHERE id = @id AND state IN ('open', 'changes_requested')`,
  );
  const insertComment = db.prepare(
    `INSERT INTO review_comments (id, review_id, author_id, author_name, body, anchor, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const touch = db.prepare('UPDATE reviews SET updated_at = ? WHERE id = ?');
  const commentCount = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM review_comments WHERE review_id = ?',
  );

  return {
    open(caller, prepared) {
      const { team, name } = prepared;
      const at = now();
      const result = db
        .transaction(() => {
          const pending = t.pendingReview(team.projectId, team.setId, team.version);
          if (pending) return { row: pending, created: false, superseded: 0 };
          const id = randomUUID();
          insertReview.run({
            id,
            project_id: team.projectId,
            set_id: team.setId,
            name,
            version: team.version,
            version_id: team.id,
            author_id: caller.accountId,
            author_name: caller.name,
            at,
            base_version: prepared.check.base,
            notes: JSON.stringify(prepared.notes),
            override: team.override,
          });
          // A request sent back for changes is answered by a new version: the old request leaves the queue.
          const superseded = supersede.run(at, `superseded by ${team.version}`, team.projectId, team.setId, id).changes;
          return { row: mustFind(id), created: true, superseded };
        })
        .immediate();
      if (result.created)
        deps.audit(caller, 'review.open', 'review', result.row.id, {
          projectId: team.projectId,
          setId: team.setId,
          name,
          version: team.version,
          versionId: team.id,
          baseVersion: prepared.check.base,
          notes: prepared.notes.map((n) => n.message),
          superseded: result.superseded,
          before: null,
          after: 'open',
        });
      return load(result.row);
    },

    reviews(caller, query) {
      const where: string[] = [];
      const args: string[] = [];
      if (query.projectId !== undefined) {
        access.read(caller, query.projectId);
        where.push('r.project_id = ?');
        args.push(query.projectId);
      } else {
        const visible = access.visibleProjects(caller);
        if (visible !== null) {
          if (visible.size === 0) return [];
          where.push(`r.project_id IN (${[...visible].map(() => '?').join(', ')})`);
          args.push(...visible);
        }
      }
      if (query.state !== undefined) {
        if (!STATES.includes(query.state))
          throw new AnvilError({
            code: 'invalid_request',
            message: `"${String(query.state).slice(0, 40)}" is not a review state (${STATES.join(', ')}).`,
          });
        where.push('r.state = ?');
        args.push(query.state);
      }
      if (query.mine) {
        where.push('r.author_id = ?');
        args.push(caller.accountId);
      }
      const rows = db
        .prepare<string[], ReviewRow & { comments: number }>(
          `SELECT r.*, (SELECT count(*) FROM review_comments c WHERE c.review_id = r.id) AS comments
           FROM reviews r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY r.created_at DESC, r.id LIMIT ${MAX_LIST}`,
        )
        .all(...args);
      return rows.map((r): ReviewSummary => ({
        id: r.id,
        projectId: r.project_id,
        setId: r.set_id,
        name: r.name,
        version: r.version,
        baseVersion: r.base_version,
        authorName: r.author_name,
        state: r.state,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        comments: r.comments,
      }));
    },

    review(caller, id) {
      const row = mustFind(id);
      const role = access.read(caller, row.project_id);
      const team = versions.get(row.version_id);
      if (!team)
        throw new AnvilError({
          code: 'unknown_team_version',
          message: `The team version ${row.version_id} of ${row.name}@${row.version} is missing from versions.db.`,
        });
      const base = row.base_version === null ? undefined : t.versionOf(row.name, row.base_version);
      const detail: ReviewDetail = {
        review: load(row),
        content: team.content,
        changelog: team.changelog,
        baseContent: base ? contentOf(base.team_version_id) : null,
        canDecide:
          role === 'admin' &&
          PENDING.includes(row.state) &&
          (row.author_id !== caller.accountId || isServerAdmin(caller)),
      };
      return detail;
    },

    comment(caller, id, comment) {
      const row = mustFind(id);
      access.write(caller, row.project_id, 'comment on review requests');
      const body = typeof comment?.body === 'string' ? comment.body.trim() : '';
      if (body.length === 0 || body.length > MAX_COMMENT)
        throw new AnvilError({
          code: 'invalid_request',
          message: `A comment needs a body of 1 to ${MAX_COMMENT} characters.`,
        });
      const anchor = checkAnchor(comment?.anchor, () => promptNames(row));
      if (!PENDING.includes(row.state)) throw closed(row);
      const at = now();
      const commentId = randomUUID();
      db.transaction(() => {
        insertComment.run(
          commentId,
          row.id,
          caller.accountId,
          caller.name,
          body,
          anchor === null ? null : JSON.stringify(anchor),
          at,
        );
        touch.run(at, row.id);
      }).immediate();
      deps.audit(caller, 'review.comment', 'review', row.id, {
        commentId,
        name: row.name,
        version: row.version,
        anchor,
        comments: commentCount.get(row.id)?.n ?? 0,
      });
      const stored = db
        .prepare<[string], Parameters<typeof toComment>[0]>('SELECT * FROM review_comments WHERE id = ?')
        .get(commentId);
      return toComment(stored as Parameters<typeof toComment>[0]);
    },

    async decide(caller, id, decision) {
      const kind = (decision as ReviewDecision | undefined)?.decision;
      if (kind !== 'approve' && kind !== 'reject' && kind !== 'request_changes')
        throw new AnvilError({
          code: 'invalid_request',
          message: 'A decision is one of approve, reject or request_changes.',
        });
      const note = decision.note === undefined || decision.note === null ? null : decision.note;
      if (note !== null && (typeof note !== 'string' || note.length > MAX_NOTE))
        throw new AnvilError({
          code: 'invalid_request',
          message: `A decision note is at most ${MAX_NOTE} characters.`,
        });
      const row = mustFind(id);
      access.admin(caller, row.project_id, 'decide review requests');
      if (row.author_id === caller.accountId && !isServerAdmin(caller))
        throw new AnvilError({
          code: 'forbidden',
          message: `You requested the review of ${row.name}@${row.version}; another project admin decides it.`,
        });
      if (!PENDING.includes(row.state)) throw closed(row);
      const state: ReviewState = kind === 'approve' ? 'approved' : kind === 'reject' ? 'rejected' : 'changes_requested';
      const update = (at: string, base: string | null) => {
        const changed = decideRow.run({ id: row.id, state, by: caller.name, at, note, base }).changes;
        if (changed === 0) throw closed(mustFind(row.id));
      };

      let published: PublishResult | null = null;
      if (kind === 'approve') {
        const entity = `${row.project_id}/${row.set_id}`;
        const details = { reviewId: row.id, version: row.version, versionId: row.version_id };
        try {
          if (t.modeOf(row.project_id) === 'locked')
            throw new AnvilError({
              code: 'project_locked',
              message: `Project ${row.project_id} is locked: nothing is published until an admin unlocks it.`,
            });
          const team = versions.get(row.version_id);
          if (!team)
            throw new AnvilError({
              code: 'unknown_team_version',
              message: `The team version ${row.version_id} of ${row.name}@${row.version} is missing from versions.db.`,
            });
          const result = await publisher.publish(team, caller.name, (at, prepared) => update(at, prepared.check.base));
          const bundle = result.prepared.bundle as NonNullable<PreparedPublish['bundle']>;
          published = {
            status: 'published',
            name: result.prepared.name,
            version: team.version,
            integrity: bundle.integrity,
            latest: result.latest,
            eventId: result.eventId,
          };
          deps.audit(caller, 'registry.publish', 'package', result.prepared.name, {
            projectId: team.projectId,
            setId: team.setId,
            version: team.version,
            versionId: team.id,
            integrity: bundle.integrity,
            latest: result.latest,
            eventId: result.eventId,
            reviewId: row.id,
            before: null,
            after: team.version,
          });
        } catch (err) {
          deps.refuse(caller, entity, err, details);
        }
      } else {
        db.transaction(() => update(now(), null)).immediate();
      }
      deps.audit(caller, `review.${kind}`, 'review', row.id, {
        name: row.name,
        version: row.version,
        note,
        before: row.state,
        after: state,
      });
      return { review: load(mustFind(row.id)), published };
    },
  };

  function promptNames(row: ReviewRow): Set<string> {
    const names = new Set<string>();
    const add = (content: string | null) => {
      if (content === null) return;
      const parsed = PromptSetContent.safeParse(JSON.parse(content));
      if (parsed.success) for (const p of parsed.data.prompts) names.add(p.name);
    };
    add(contentOf(row.version_id));
    const base = row.base_version === null ? undefined : t.versionOf(row.name, row.base_version);
    if (base) add(contentOf(base.team_version_id));
    return names;
  }
}

function checkAnchor(anchor: unknown, prompts: () => Set<string>): ReviewComment['anchor'] {
  if (anchor === undefined || anchor === null) return null;
  const a = anchor as { prompt?: unknown; side?: unknown; line?: unknown };
  if (
    typeof a !== 'object' ||
    typeof a.prompt !== 'string' ||
    (a.side !== 'before' && a.side !== 'after') ||
    typeof a.line !== 'number' ||
    !Number.isSafeInteger(a.line) ||
    a.line < 1
  )
    throw new AnvilError({
      code: 'invalid_request',
      message: 'A comment anchor is { prompt, side: "before" | "after", line: a whole number from 1 }.',
    });
  if (!prompts().has(a.prompt))
    throw new AnvilError({
      code: 'invalid_request',
      message: `The comment is anchored to prompt "${a.prompt.slice(0, 80)}", which is in neither version being compared.`,
    });
  return { prompt: a.prompt, side: a.side, line: a.line };
}
