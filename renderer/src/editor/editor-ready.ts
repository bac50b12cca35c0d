/**
 * `anvil:editor-ready`: the selected prompt's Monaco editor is mounted with its text. The startup benchmark
 * waits for this mark, so it is made once per page load, by the first editor that gets there.
 */
let marked = false;

export function markEditorReady(): void {
  if (marked) return;
  marked = true;
  performance.mark('anvil:editor-ready');
}
