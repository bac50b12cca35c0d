import type { RegistryNotice } from '../../../shared/contract';
import type { EditMode, PromptSetContent } from '../../../shared/domain';
import type { PackageMetadata, PublishProblem, ReviewComment, ReviewState } from '../../../shared/registry/types';

/** Words for the registry's states and modes: what the screens and notices say. */

export const REVIEW_STATE_LABEL: Record<ReviewState, string> = {
  open: 'Open',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export const EDIT_MODE_LABEL: Record<EditMode, string> = { open: 'Open', review: 'Review', locked: 'Locked' };

export const EDIT_MODE_HELP: Record<EditMode, string> = {
  open: 'Publishing a version makes it available at once.',
  review: 'Publishing opens a review request; it is published when a project admin approves it.',
  locked: 'Nothing can be published, by anyone, until an admin changes the mode.',
};

/** What the publish dialog says will happen, per edit mode. */
export function publishIntent(mode: EditMode, name: string, version: string): string {
  switch (mode) {
    case 'open':
      return `${name} ${version} will be published now. A published version can never be changed or removed, only deprecated.`;
    case 'review':
      return `This project publishes through review: a review request for ${name} ${version} will be opened, and it is published when a project admin approves it.`;
    case 'locked':
      return 'This project is locked: nothing can be published until an admin changes its edit mode (project settings).';
  }
}

/** Where a publish problem is: "greeting, line 2, column 5", or null when it is about the whole set. */
export function problemWhere(p: Pick<PublishProblem, 'prompt' | 'line' | 'column'>): string | null {
  const parts: string[] = [];
  if (p.prompt) parts.push(p.prompt);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.column !== undefined) parts.push(`column ${p.column}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** "on greeting, after, line 3" for a comment on a line of a prompt's diff. */
export function anchorLabel(anchor: ReviewComment['anchor']): string | null {
  if (!anchor) return null;
  return `${anchor.prompt}, ${anchor.side === 'before' ? 'before' : 'after'}, line ${anchor.line}`;
}

/** What the history shows for a version of a package: published, its dist-tags, deprecated. */
export function publishedBadges(
  pkg: PackageMetadata | null,
  version: string,
): { published: boolean; tags: string[]; deprecated: string | null } {
  const record = pkg?.versions[version];
  if (!pkg || !record) return { published: false, tags: [], deprecated: null };
  const tags = Object.entries(pkg.distTags)
    .filter(([, v]) => v === version)
    .map(([tag]) => tag)
    .sort((a, b) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a.localeCompare(b)));
  return { published: true, tags, deprecated: record.deprecated };
}

/** Reads a frozen set content as the server sends it (canonical JSON); null when it is not one. */
export function parseContent(json: string | null): PromptSetContent | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as PromptSetContent;
    return typeof value === 'object' && value !== null && Array.isArray(value.prompts) ? value : null;
  } catch {
    return null;
  }
}

/** The "before" side of a first publish: the same set with nothing in it, so every prompt shows as added. */
export function emptyLike(content: PromptSetContent): PromptSetContent {
  return { ...content, description: '', dependencies: {}, prompts: [] };
}

/** A notice about one of the author's review requests, in words. */
export function registryNoticeText(n: RegistryNotice): {
  kind: 'ok' | 'info' | 'error';
  title: string;
  message: string;
} {
  const what = `${n.name} ${n.version}`;
  if (n.kind === 'review-comment')
    return {
      kind: 'info',
      title: `New ${n.count === 1 ? 'comment' : 'comments'} on your review request`,
      message: `${n.by.join(', ')} commented on ${what}.`,
    };
  const by = n.decidedBy ? ` by ${n.decidedBy}` : '';
  const note = n.note ? ` “${n.note}”` : '';
  switch (n.state) {
    case 'approved':
      return { kind: 'ok', title: 'Review approved', message: `${what} was approved${by} and published.${note}` };
    case 'rejected':
      return {
        kind: 'error',
        title: 'Review rejected',
        message: `${what} was rejected${by}: nothing was published.${note}`,
      };
    case 'changes_requested':
      return { kind: 'info', title: 'Changes requested', message: `Changes were requested${by} on ${what}.${note}` };
    default:
      return {
        kind: 'info',
        title: 'Review request updated',
        message: `${what} is now ${REVIEW_STATE_LABEL[n.state].toLowerCase()}.`,
      };
  }
}
