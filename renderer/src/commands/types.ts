/**
 * A studio command: what the palette lists, what shortcuts and the desktop menu run. Screens register the
 * commands that make sense while they are shown (the editor adds "New prompt", "Save version", …) with
 * `useCommands` (renderer/src/commands/registry.tsx); the palette and the global key handler read them all.
 */
export interface Command {
  /** Stable id, e.g. `editor.newPrompt`; the desktop menu sends it in an `app:command` event. */
  id: string;
  title: string;
  /** Palette section, e.g. 'Navigation', 'Editor', 'View'. */
  group: string;
  /** `Mod` is Ctrl, or Cmd on macOS: 'Mod+K', 'Mod+S', 'Alt+N', 'F8', 'Shift+F8'. Shown in the palette and help. */
  shortcut?: string;
  /** Extra words the fuzzy finder matches. */
  keywords?: string[];
  run(): void | Promise<void>;
}
