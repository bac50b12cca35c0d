/**
 * How the server names documents: `<projectId>/<documentId>` (ids, never display names), so roles, which are per
 * project, apply to every document of a project. A name without a project part belongs to no project and is
 * refused by the accounts' authenticator. The studio's sync client must name documents the same way.
 */
export function projectOfDocument(documentName: string): string | null {
  const slash = documentName.indexOf('/');
  if (slash <= 0 || slash === documentName.length - 1) return null;
  return documentName.slice(0, slash);
}
