import { z } from 'zod';
import { AnvilError, ChatItem, ChatRole, Dependencies, EditMode, Id, ModelSettings, Parameter } from '../domain';

/**
 * The arguments of every operation the UI may ask of the main process, one zod object per `namespace:method`.
 * Each operation takes a single JSON object and returns JSON (its result type is in `results.ts`), so the
 * Electron preload and the browser transport expose this one list as it is. The main process validates
 * every call with these schemas: the renderer is not trusted. Names are plain strings here and checked by
 * the operations with `nameProblem`, so a bad name gets the `invalid_name` error rather than a generic one.
 */
const text = (max: number) => z.string().max(max);
const setRef = { setId: Id };
const promptRef = { setId: Id, promptId: Id };
/** Which template of a prompt: absent for a text prompt, the message index for a chat prompt. */
const message = z.number().int().min(0).optional();

export const ARGS = {
  'projects:create': z.object({ name: z.string(), description: text(4000).optional(), editMode: EditMode.optional() }),
  'projects:rename': z.object({ projectId: Id, name: z.string() }),
  'projects:update': z.object({ projectId: Id, description: text(4000).optional(), editMode: EditMode.optional() }),
  'projects:delete': z.object({ projectId: Id }),
  'projects:restore': z.object({ projectId: Id }),
  'projects:get': z.object({ projectId: Id }),
  'projects:list': z.object({ includeTrashed: z.boolean().optional() }),

  'sets:create': z.object({
    projectId: Id,
    name: z.string(),
    description: text(4000).optional(),
    dependencies: Dependencies.optional(),
  }),
  'sets:rename': z.object({ ...setRef, name: z.string() }),
  'sets:update': z.object({ ...setRef, description: text(4000).optional(), dependencies: Dependencies.optional() }),
  'sets:delete': z.object(setRef),
  'sets:restore': z.object(setRef),
  'sets:list': z.object({ projectId: Id, includeTrashed: z.boolean().optional() }),
  'sets:content': z.object(setRef),

  'prompts:create': z.object({
    ...setRef,
    name: z.string(),
    kind: z.enum(['text', 'chat']),
    description: text(4000).optional(),
    template: z.string().optional(),
    messages: z.array(ChatItem).optional(),
    parameters: z.array(Parameter).optional(),
    model: ModelSettings.nullable().optional(),
  }),
  'prompts:rename': z.object({ ...promptRef, name: z.string() }),
  'prompts:delete': z.object(promptRef),
  'prompts:get': z.object(promptRef),
  'prompts:setDescription': z.object({ ...promptRef, description: text(4000) }),
  'prompts:editTemplate': z.object({
    ...promptRef,
    message,
    index: z.number().int().min(0),
    deleteCount: z.number().int().min(0),
    insert: z.string(),
  }),
  'prompts:setTemplate': z.object({ ...promptRef, message, text: z.string() }),
  'prompts:addMessage': z.object({ ...promptRef, item: ChatItem, at: z.number().int().min(0).optional() }),
  'prompts:removeMessage': z.object({ ...promptRef, index: z.number().int().min(0) }),
  'prompts:setMessageRole': z.object({ ...promptRef, index: z.number().int().min(0), role: ChatRole }),
  'prompts:setParameters': z.object({ ...promptRef, parameters: z.array(Parameter) }),
  'prompts:setModel': z.object({ ...promptRef, model: ModelSettings.nullable() }),

  'versions:save': z.object({
    ...setRef,
    version: z.string(),
    changelog: text(20_000),
    override: text(2000).nullable().optional(),
  }),
  'versions:list': z.object(setRef),
  /** By number; `id` picks exactly one version (a team version behind an open clash, a replaced one). */
  'versions:get': z.object({ ...setRef, version: z.string(), id: Id.optional() }),
  'versions:restore': z.object({ ...setRef, version: z.string() }),
  'versions:snapshots': z.object(setRef),
  'versions:restoreSnapshot': z.object({ snapshotId: Id }),
  /** After a clash on the server: the same content under another number (the old row stays, `replaced`). */
  'versions:renumber': z.object({
    ...setRef,
    version: z.string(),
    newVersion: z.string(),
    override: text(2000).nullable().optional(),
  }),

  'audit:list': z.object({
    entityId: z.string().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    beforeId: z.number().int().optional(),
  }),
  'settings:get': z.object({ key: z.string().min(1).max(200) }),
  'settings:set': z.object({ key: z.string().min(1).max(200), value: z.unknown() }),
  'search:query': z.object({
    query: z.string(),
    projectId: Id.optional(),
    setId: Id.optional(),
    includeTrashed: z.boolean().optional(),
    limit: z.number().int().optional(),
    offset: z.number().int().optional(),
  }),
} as const;

export type OperationName = keyof typeof ARGS;
export type Args<K extends OperationName> = z.input<(typeof ARGS)[K]>;

/** Validate the arguments of an operation; a failure is an `invalid_argument` error listing every problem. */
export function parseArgs<K extends OperationName>(name: K, args: unknown): z.output<(typeof ARGS)[K]> {
  const result = ARGS[name].safeParse(args);
  if (result.success) return result.data as z.output<(typeof ARGS)[K]>;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new AnvilError({
    code: 'invalid_argument',
    message: `Invalid arguments for ${name}: ${problems.join('; ')}.`,
    details: result.error.issues,
  });
}
