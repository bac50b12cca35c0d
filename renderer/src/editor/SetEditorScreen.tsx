/**
 * The prompt set editor, mounted by the shell at `/sets/:setId` and `/sets/:setId/:promptId`.
 * (First cut: the full editor replaces this body.)
 */
export function SetEditorScreen(props: { setId: string; promptId?: string }) {
  return (
    <section aria-label="Prompt set editor" data-set-id={props.setId} data-prompt-id={props.promptId ?? ''}>
      <p>Loading the set…</p>
    </section>
  );
}
