import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { usageApi, usageSchemas } from '../usage/openapi';

/**
 * The OpenAPI 3.1 document of the sync server's HTTP API (`shared/sync/api.ts` and `shared/registry/api.ts`),
 * served at `/api/openapi.json` so clients in other languages can be generated from it. Written by hand beside
 * the routes: `openapi.test.ts` checks every documented path is answered and every route is documented.
 */
type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string): Json => ({ type: 'string', ...(description ? { description } : {}) });
const int = (description?: string): Json => ({ type: 'integer', ...(description ? { description } : {}) });
const arrayOf = (items: Json): Json => ({ type: 'array', items });
const mapOf = (values: Json): Json => ({ type: 'object', additionalProperties: values });
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });
/** An object whose listed properties are all required, except those named in `optional`. */
const object = (properties: Record<string, Json>, optional: string[] = []): Json => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const json = (schema: Json, description: string): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
const errors = (...statuses: number[]): Record<string, Json> =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));
const pathParam = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const queryParam = (name: string, schema: Json, description: string): Json => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
const PACKAGE = [
  pathParam('project', 'The project part of the package name `@project/set`.'),
  pathParam('set', 'The set part of the package name.'),
];
const ETAG = { schema: { type: 'string' }, description: 'Strong entity tag of the exact bytes.' };

const CHANGE_CLASS = { type: 'string', enum: ['major', 'minor', 'patch', 'none'] };
const REVIEW_STATE = { type: 'string', enum: ['open', 'changes_requested', 'approved', 'rejected', 'withdrawn'] };
const EDIT_MODE = { type: 'string', enum: ['open', 'review', 'locked'] };

const feedBase = {
  id: int('The resume cursor (SSE `id:`).'),
  name: str('`@project/set`'),
  projectId: str(),
  setId: str(),
  at: str('ISO time'),
};

const schemas: Record<string, Json> = {
  Error: object({
    error: object({ code: str('Machine-readable, e.g. `version_published`.'), message: str(), details: {} }, [
      'details',
    ]),
  }),
  WhoAmI: object({ accountId: str(), name: str(), serverAdmin: { type: 'boolean' }, protocol: int() }),
  Role: { type: 'string', enum: ['admin', 'context_engineer', 'viewer'] },
  RemoteProject: object({ id: str(), name: str(), role: ref('Role') }),
  RegisterProject: object({ id: str('1 to 64 of A-Z a-z 0-9 _ -'), name: str() }),
  ProposedVersion: object({
    id: str("The studio's id (a retry with the same payload is safe)."),
    setId: str(),
    version: str('semver'),
    changelog: str(),
    author: str(),
    createdAt: str('ISO time'),
    contentHash: str('`sha256-<hex>` of `content`'),
    changeClass: CHANGE_CLASS,
    override: nullable(str()),
    content: str('Canonical JSON of the frozen set content, at most 4 MiB.'),
  }),
  TeamVersion: {
    allOf: [ref('ProposedVersion'), object({ seq: int(), projectId: str(), acceptedFrom: str(), acceptedAt: str() })],
  },
  PublishRequest: object({ projectId: str(), setId: str(), version: str('A team version the server accepted.') }),
  PublishContentRequest: object(
    {
      projectId: str(),
      content: {
        type: 'object',
        description:
          'A PromptSetContent (id, projectId, name, description, dependencies, prompts); its projectId must be projectId. Recorded as a team version of set content.id, then published.',
      },
      version: str('The version number to save and publish.'),
      changelog: str(),
      override: nullable(str('The reason for a breaking change under a minor/patch number.')),
    },
    ['changelog', 'override'],
  ),
  PublishResult: {
    oneOf: [
      object({
        status: { const: 'published' },
        name: str(),
        version: str(),
        integrity: str('`sha512-<base64>`'),
        latest: { type: 'boolean' },
        eventId: int(),
      }),
      object({ status: { const: 'review' }, review: ref('ReviewRequest') }),
    ],
  },
  PublishProblem: object(
    {
      code: {
        type: 'string',
        enum: [
          'invalid_version',
          'version_exists',
          'wrong_bump',
          'template_error',
          'missing_dependency',
          'undeclared_dependency',
          'unsatisfiable_dependency',
          'invalid_entry_name',
          'too_large',
          'invalid_bundle',
        ],
      },
      message: str(),
      prompt: str(),
      line: int(),
      column: int(),
      details: {},
    },
    ['prompt', 'line', 'column', 'details'],
  ),
  PublishRefused: object({
    error: object({
      code: { const: 'publish_refused' },
      message: str(),
      details: object({ problems: arrayOf(ref('PublishProblem')) }),
    }),
  }),
  PublishedVersion: object({
    version: str(),
    integrity: str(),
    size: int('Bytes of the bundle.'),
    publishedAt: str(),
    publishedBy: str(),
    author: str(),
    changelog: str(),
    changeClass: CHANGE_CLASS,
    override: nullable(str()),
    dependencies: mapOf(str('semver range')),
    prompts: arrayOf(str()),
    deprecated: nullable(str()),
  }),
  PackageMetadata: object(
    {
      name: str(),
      projectId: str(),
      setId: str(),
      description: str(),
      distTags: mapOf(str()),
      versions: mapOf(ref('PublishedVersion')),
      time: mapOf(str()),
      experiments: {
        ...arrayOf(ref('Experiment')),
        description:
          'The current experiment of each prompt (running, else the last stopped), by id; absent when there are none.',
      },
    },
    ['experiments'],
  ),
  VariantTarget: {
    oneOf: [
      object({ version: str('A published version of the package holding the prompt.') }),
      object({ prompt: str('A prompt of the latest version (the control is usually the prompt itself).') }),
    ],
  },
  Variant: object({
    key: str('Unique in the experiment; recorded in usage events.'),
    weight: { type: 'number', exclusiveMinimum: 0, description: 'Only proportions matter.' },
    target: ref('VariantTarget'),
  }),
  Experiment: object(
    {
      id: str('A-Z a-z 0-9 _ -'),
      name: str(),
      prompt: str('`@project/set/prompt`, a prompt of this package'),
      status: { type: 'string', enum: ['running', 'stopped'] },
      winner: str('The winning variant key; present exactly when stopped.'),
      variants: { ...arrayOf(ref('Variant')), minItems: 2, maxItems: 10 },
      unit: str('The unit key name the application passes: `userId`, `sessionId`.'),
      metric: object({ name: str(), kind: { type: 'string', enum: ['rate', 'mean'] } }),
      salt: str('The id unless set.'),
      version: int('Definition version, numbered by the server from 1.'),
    },
    ['winner'],
  ),
  ExperimentDefinition: {
    ...object(
      {
        id: str("Optional; the path's id."),
        name: str(),
        prompt: str(),
        status: { type: 'string', enum: ['running', 'stopped'] },
        winner: str(),
        variants: arrayOf(ref('Variant')),
        unit: str(),
        metric: object({ name: str(), kind: { type: 'string', enum: ['rate', 'mean'] } }),
        salt: str(),
        version: int('Optional; when given, the next definition version (else 409 experiment_conflict).'),
      },
      ['id', 'winner', 'salt', 'version'],
    ),
    description: 'An Experiment as written: the server fills id and version and validates every field.',
  },
  ExperimentRecord: object({
    name: str('`@project/set`'),
    experiment: ref('Experiment'),
    current: { type: 'boolean', description: "Whether the package's metadata carries it for its prompt." },
    createdAt: str(),
    createdBy: str(),
    updatedAt: str(),
    updatedBy: str(),
  }),
  PackageSummary: object({
    name: str(),
    projectId: str(),
    setId: str(),
    description: str(),
    distTags: mapOf(str()),
    latest: nullable(ref('PublishedVersion')),
    versions: arrayOf(str()),
  }),
  SearchResult: object({
    name: str(),
    version: str(),
    description: str(),
    prompts: arrayOf(str()),
    deprecated: nullable(str()),
  }),
  Bundle: {
    type: 'object',
    description:
      'One canonical JSON document (sorted keys, no whitespace, UTF-8); its integrity is over these exact bytes.',
    properties: {
      format: { const: 'anvil-bundle@1' },
      manifest: { type: 'object', description: 'Name, version, project, set, dependencies, prompts, author…' },
      entries: mapOf({ type: 'object', description: '`{ kind: "text", template }` or `{ kind: "chat", messages }`' }),
    },
    required: ['format', 'manifest', 'entries'],
  },
  FeedEvent: {
    oneOf: [
      object({
        ...feedBase,
        type: { const: 'publish' },
        version: str(),
        integrity: str(),
        latest: { type: 'boolean' },
      }),
      object({ ...feedBase, type: { const: 'dist-tag' }, tag: str(), version: nullable(str()) }),
      object({ ...feedBase, type: { const: 'deprecate' }, version: str(), message: nullable(str()) }),
      object({
        ...feedBase,
        type: { const: 'experiment' },
        experimentId: str(),
        status: { type: 'string', enum: ['running', 'stopped'] },
        definitionVersion: int(),
      }),
    ],
  },
  EditModeBody: object({ editMode: EDIT_MODE }),
  ReviewComment: object({
    id: str(),
    reviewId: str(),
    authorId: str(),
    authorName: str(),
    body: str(),
    createdAt: str(),
    anchor: nullable(ref('CommentAnchor')),
  }),
  CommentAnchor: object({ prompt: str(), side: { type: 'string', enum: ['before', 'after'] }, line: int('1-based') }),
  ReviewRequest: object({
    id: str(),
    projectId: str(),
    setId: str(),
    name: str(),
    version: str(),
    versionId: str(),
    authorId: str(),
    authorName: str(),
    state: REVIEW_STATE,
    createdAt: str(),
    updatedAt: str(),
    baseVersion: nullable(str()),
    notes: arrayOf(ref('PublishProblem')),
    override: nullable(str()),
    decidedBy: nullable(str()),
    decidedAt: nullable(str()),
    decisionNote: nullable(str()),
    comments: arrayOf(ref('ReviewComment')),
  }),
  ReviewSummary: object({
    id: str(),
    projectId: str(),
    setId: str(),
    name: str(),
    version: str(),
    baseVersion: nullable(str()),
    authorName: str(),
    state: REVIEW_STATE,
    createdAt: str(),
    updatedAt: str(),
    comments: int(),
  }),
  ReviewDetail: object({
    review: ref('ReviewRequest'),
    content: str('Canonical JSON of the requested version.'),
    baseContent: nullable(str()),
    canDecide: { type: 'boolean' },
  }),
  NewComment: object({ body: str(), anchor: ref('CommentAnchor') }, ['anchor']),
  ReviewDecision: object(
    { decision: { type: 'string', enum: ['approve', 'reject', 'request_changes'] }, note: str() },
    ['note'],
  ),
  ReviewDecisionResult: {
    allOf: [ref('ReviewRequest'), object({ published: nullable(ref('PublishResult')) })],
  },
};

const errorResponse = (description: string, schema = ref('Error')): Json => json(schema, description);
const responses: Record<string, Json> = {
  E400: errorResponse('Bad input: the body, the query or a path part.'),
  E401: errorResponse('No token, or an unknown, expired or revoked one.'),
  E403: errorResponse('No role on the project, a viewer writing, or a locked project.'),
  E404: errorResponse('Unknown project, package, version, review or experiment.'),
  E405: errorResponse('Method not allowed (the Allow header lists those that are).'),
  E409: errorResponse(
    'Conflict: the version is published already, the name belongs to another set, or another experiment runs on the prompt.',
  ),
  E413: errorResponse('The body (or a bundle) is too large.'),
  E422: errorResponse('Publishing was refused; every problem is in `details.problems`.', ref('PublishRefused')),
  E429: errorResponse('Too many requests for this token or address (Retry-After says when to retry).'),
  E500: errorResponse('The server failed; for a bundle, `integrity_mismatch`: the stored bytes changed.'),
};

const standard = [400, 401, 429];
const read = [...standard, 403, 404];
const write = [...read, 405];

function coreApi(): Record<string, Json> {
  return {
    '/healthz': {
      get: {
        summary: 'Liveness',
        security: [],
        responses: { '200': json(object({ ok: { type: 'boolean' }, protocol: int() }), 'The server is up.') },
      },
    },
    '/api/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': json({ type: 'object' }, 'The OpenAPI 3.1 document.'), ...errors(429) },
      },
    },
    '/api/whoami': {
      get: {
        summary: 'Who the token is',
        responses: { '200': json(ref('WhoAmI'), 'The account.'), ...errors(...standard) },
      },
    },
    '/api/projects': {
      get: {
        summary: 'Projects the token reaches',
        responses: {
          '200': json(object({ projects: arrayOf(ref('RemoteProject')) }), 'With the role on each.'),
          ...errors(...standard),
        },
      },
      post: {
        summary: 'Register a project (the caller becomes its admin)',
        requestBody: body(ref('RegisterProject')),
        responses: {
          '201': json(ref('RemoteProject'), 'Registered.'),
          '200': json(ref('RemoteProject'), 'Known already; the caller has a role on it.'),
          ...errors(...standard, 403, 413),
        },
      },
    },
    '/api/projects/{projectId}/versions': {
      parameters: [pathParam('projectId', 'The project id.')],
      get: {
        summary: "The project's team versions, in acceptance order",
        parameters: [
          queryParam('after', { type: 'integer', minimum: 0 }, 'Only versions with `seq` above this.'),
          queryParam('limit', { type: 'integer', minimum: 1, maximum: 1000 }, 'At most this many (default 100).'),
        ],
        responses: {
          '200': json(object({ versions: arrayOf(ref('TeamVersion')), next: int() }), 'A page.'),
          ...errors(...read),
        },
      },
      post: {
        summary: 'Propose a version the studio saved',
        requestBody: body(ref('ProposedVersion')),
        responses: {
          '201': json(ref('TeamVersion'), 'Accepted.'),
          '200': json(ref('TeamVersion'), 'The same id again: the stored one.'),
          ...errors(...read, 409, 413),
        },
      },
    },
  };
}

function registryApi(): Record<string, Json> {
  const pkg = '/api/registry/packages/@{project}/{set}';
  const distTags = json(object({ distTags: mapOf(str()) }), 'The dist-tags now.');
  return {
    '/api/registry/publish': {
      post: {
        summary:
          'Publish a team version, or set content sent inline (saved as a team version first); a review is opened instead in a project in review mode',
        requestBody: body({ oneOf: [ref('PublishRequest'), ref('PublishContentRequest')] }),
        responses: {
          '201': json(ref('PublishResult'), 'Published.'),
          '202': json(ref('PublishResult'), 'A review was opened (or the open one for this version answered).'),
          ...errors(...read, 409, 413, 422, 500),
        },
      },
    },
    [pkg]: {
      parameters: PACKAGE,
      get: {
        summary: "The package's metadata (versions, dist-tags, times, deprecations)",
        parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          '200': { ...json(ref('PackageMetadata'), 'Cached bytes.'), headers: { ETag: ETAG } },
          '304': { description: 'Not modified (If-None-Match matched).', headers: { ETag: ETAG } },
          ...errors(...read),
        },
      },
    },
    [`${pkg}/-/{version}`]: {
      parameters: [...PACKAGE, pathParam('version', 'An exact published version.')],
      get: {
        summary: "A bundle's exact bytes",
        parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          '200': {
            ...json(ref('Bundle'), 'Immutable: check `x-anvil-integrity` against the bytes.'),
            headers: {
              ETag: { schema: { type: 'string' }, description: 'The integrity, quoted.' },
              'x-anvil-integrity': { schema: { type: 'string' }, description: '`sha512-<base64>` of the bytes.' },
            },
          },
          '304': { description: 'Not modified.' },
          ...errors(...read, 500),
        },
      },
    },
    [`${pkg}/dist-tags/{tag}`]: {
      parameters: [...PACKAGE, pathParam('tag', 'A dist-tag such as `beta`.')],
      put: {
        summary: 'Point a dist-tag at a version (writers)',
        requestBody: body(object({ version: str() })),
        responses: { '200': distTags, ...errors(...write, 413) },
      },
      delete: {
        summary: 'Remove a dist-tag (`latest` cannot be removed)',
        responses: { '200': distTags, ...errors(...write) },
      },
    },
    [`${pkg}/deprecate`]: {
      parameters: PACKAGE,
      post: {
        summary: 'Deprecate a version with a message (null un-deprecates)',
        requestBody: body(object({ version: str(), message: nullable(str()) })),
        responses: { '200': json(ref('PublishedVersion'), 'The version now.'), ...errors(...write, 413) },
      },
    },
    [`${pkg}/experiments`]: {
      parameters: PACKAGE,
      get: {
        summary: "The package's experiments (current and superseded)",
        responses: {
          '200': json(object({ experiments: arrayOf(ref('ExperimentRecord')) }), 'By id.'),
          ...errors(...read),
        },
      },
    },
    [`${pkg}/experiments/{id}`]: {
      parameters: [...PACKAGE, pathParam('id', 'The experiment id.')],
      put: {
        summary: 'Create or change an experiment (writers; not in a locked project)',
        description:
          'Each change is a new definition version, a feed event `experiment` and new package metadata. The ' +
          'prompt must be in the latest version; a `version` target a published version holding the prompt; a ' +
          '`prompt` target a prompt of the latest version; one running experiment per prompt. A 400 ' +
          '`invalid_experiment` names each field in `details.issues`.',
        requestBody: body(ref('ExperimentDefinition')),
        responses: {
          '201': json(ref('ExperimentRecord'), 'Created.'),
          '200': json(ref('ExperimentRecord'), 'Changed, or the same definition again (unchanged).'),
          ...errors(...write, 409, 413),
        },
      },
    },
    [`${pkg}/experiments/{id}/stop`]: {
      parameters: [...PACKAGE, pathParam('id', 'The experiment id.')],
      post: {
        summary: 'Stop an experiment: every unit gets the winner from now on',
        requestBody: body(object({ winner: str('A variant key.') })),
        responses: { '200': json(ref('ExperimentRecord'), 'The experiment now.'), ...errors(...write, 409, 413) },
      },
    },
    '/api/registry/search': {
      get: {
        summary: 'Search published sets and their prompts',
        parameters: [
          queryParam('q', { type: 'string' }, 'Words of a package name, a prompt name or a description.'),
          queryParam('project', { type: 'string' }, 'Only packages of the project of this name.'),
          queryParam('limit', { type: 'integer', minimum: 1, maximum: 100 }, 'At most this many (default 20).'),
        ],
        responses: {
          '200': json(object({ results: arrayOf(ref('SearchResult')) }), 'Best first.'),
          ...errors(...read),
        },
      },
    },
    '/api/registry/projects/{projectName}/packages': {
      parameters: [pathParam('projectName', 'The project name.')],
      get: {
        summary: "A project's packages",
        responses: {
          '200': json(object({ packages: arrayOf(ref('PackageSummary')) }), 'By name.'),
          ...errors(...read),
        },
      },
    },
    '/api/registry/feed': {
      get: {
        summary: 'Server-sent events: publish, dist-tag, deprecate and experiment',
        description:
          'Each event is `id: <id>`, `event: <type>`, `data: <FeedEvent JSON>`. Resume with the `Last-Event-ID` ' +
          'header (or `?after=`): the stored events after it are replayed, then live ones follow with no gap. A ' +
          'comment line every 15 s keeps idle streams open; a reader that falls 1 MiB behind is disconnected and ' +
          'resumes by id.',
        parameters: [
          queryParam('after', { type: 'integer', minimum: 0 }, 'Events with an id above this.'),
          queryParam('project', { type: 'string' }, 'Only packages of this project (name).'),
          queryParam('name', { type: 'string' }, 'Only this package (`@project/set`).'),
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The stream (`text/event-stream`), each `data:` a FeedEvent.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors(...read),
        },
      },
    },
    '/api/registry/events': {
      get: {
        summary: 'The feed, polled',
        parameters: [
          queryParam('after', { type: 'integer', minimum: 0 }, 'Events with an id above this.'),
          queryParam('project', { type: 'string' }, 'Only packages of this project (name).'),
          queryParam('name', { type: 'string' }, 'Only this package (`@project/set`).'),
          queryParam('limit', { type: 'integer', minimum: 1, maximum: 1000 }, 'At most this many (default 100).'),
        ],
        responses: {
          '200': json(object({ events: arrayOf(ref('FeedEvent')), next: int('The next `after`.') }), 'A page.'),
          ...errors(...read),
        },
      },
    },
    '/api/projects/{projectId}/edit-mode': {
      parameters: [pathParam('projectId', 'The project id.')],
      get: {
        summary: "The project's edit mode",
        responses: { '200': json(ref('EditModeBody'), 'open, review or locked.'), ...errors(...read) },
      },
      put: {
        summary: "Set the project's edit mode (project admins)",
        requestBody: body(ref('EditModeBody')),
        responses: { '200': json(ref('EditModeBody'), 'The mode now.'), ...errors(...write, 413) },
      },
    },
    '/api/projects/{projectId}/published': {
      parameters: [pathParam('projectId', 'The project id.')],
      get: {
        summary: "The project's packages, by set",
        parameters: [queryParam('setId', { type: 'string' }, 'Only the package of this set.')],
        responses: {
          '200': json(object({ packages: arrayOf(ref('PackageSummary')) }), 'By name.'),
          ...errors(...read),
        },
      },
    },
    '/api/reviews': {
      get: {
        summary: 'Review requests the caller can see',
        parameters: [
          queryParam('projectId', { type: 'string' }, 'Only this project.'),
          queryParam('state', REVIEW_STATE, 'Only this state.'),
          queryParam('mine', { type: 'string', enum: ['1'] }, 'Only requests the caller opened.'),
        ],
        responses: {
          '200': json(object({ reviews: arrayOf(ref('ReviewSummary')) }), 'Newest first.'),
          ...errors(...read),
        },
      },
    },
    '/api/reviews/{id}': {
      parameters: [pathParam('id', 'The review id.')],
      get: {
        summary: 'One review with the contents a reviewer compares',
        responses: { '200': json(ref('ReviewDetail'), 'The review.'), ...errors(...read) },
      },
    },
    '/api/reviews/{id}/comments': {
      parameters: [pathParam('id', 'The review id.')],
      post: {
        summary: 'Comment on the request, or on a line of a prompt diff',
        requestBody: body(ref('NewComment')),
        responses: { '201': json(ref('ReviewComment'), 'The comment.'), ...errors(...write, 413) },
      },
    },
    '/api/reviews/{id}/decision': {
      parameters: [pathParam('id', 'The review id.')],
      post: {
        summary: 'Approve (publishes), reject or request changes (project admins, not the author)',
        requestBody: body(ref('ReviewDecision')),
        responses: {
          '200': json(ref('ReviewDecisionResult'), 'The review, with what an approval published.'),
          ...errors(...write, 409, 422, 500),
        },
      },
    },
  };
}

/**
 * The document; `registry: false` leaves the registry's routes out (a server without one does not answer them),
 * and so does a missing or false `usage` for the usage routes.
 */
export function openApiDocument(options: { registry: boolean; usage?: boolean }): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Anvil sync server',
      version: `protocol-${SYNC_PROTOCOL_VERSION}`,
      description:
        'Team projects, versions and the prompt registry of an Anvil sync server. Every `/api/*` route needs ' +
        '`Authorization: Bearer <token>` (`anvil token create`) except this document; failures answer ' +
        '`{ "error": { "code", "message", "details"? } }`. Rate limits apply per token and per client address ' +
        '(429 with Retry-After). Paths are relative to the server base (the root, or the mount path).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: { ...coreApi(), ...(options.registry ? registryApi() : {}), ...(options.usage ? usageApi() : {}) },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An `anvil token create` token.' } },
      schemas: options.usage ? { ...schemas, ...usageSchemas } : schemas,
      responses,
    },
  };
}
