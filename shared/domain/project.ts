import { z } from 'zod';
import { Id, Name } from './names';

/** open: publish directly; review: publishing opens a review request; locked: nobody publishes. */
export const EditMode = z.enum(['open', 'review', 'locked']);
export type EditMode = z.infer<typeof EditMode>;

export const Project = z
  .object({
    id: Id,
    name: Name,
    description: z.string().max(4000).default(''),
    editMode: EditMode.default('open'),
  })
  .strict();
export type Project = z.infer<typeof Project>;
