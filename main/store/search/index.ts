export { search, searchParams, RANK_CAP, SEARCH_SQL } from './search';
export type { SearchHit, SearchOptions, SearchParams } from './search';
export { matchExpression, MAX_QUERY_CHARS, MAX_QUERY_WORDS } from './query';
export type { SearchScope } from './query';
export { snippetParts, MATCH_START, MATCH_END } from './snippet';
export type { SnippetPart } from './snippet';
