/**
 * What follows the set name in an address. `none` is not "any version": it means "the version the lock file
 * pins, else the latest", and only the resolver (which knows the lock file) can turn it into a number.
 */
export type Selector =
  | { kind: 'none' }
  | { kind: 'exact'; version: string }
  | { kind: 'range'; range: string }
  | { kind: 'tag'; tag: string };

/**
 * `@project/set[@selector]/prompt`, or a set-level reference without the prompt (`@acme/support@^1.2`),
 * as manifests and `render` partials across sets use it.
 */
export interface Address {
  project: string;
  set: string;
  selector: Selector;
  prompt?: string;
}
