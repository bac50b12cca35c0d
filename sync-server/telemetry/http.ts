// HTTP API requests in OpenTelemetry: a SERVER span per request and the request duration histogram, by route
// template (names and attributes: telemetry/index.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { REGISTRY_ROUTES } from '../registry/http';
import { USAGE_ROUTES } from '../usage/http';
import type { Instruments } from './index';
import { ATTR, currentInstruments, currentTracer } from './index';

type Handler = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;

/** The sync API's own routes (api/http.ts); the registry's and usage's come from their route lists. */
const CORE_ROUTES = [
  '/healthz',
  '/api/openapi.json',
  '/api/whoami',
  '/api/projects',
  '/api/projects/{projectId}/versions',
];
const PACKAGES = '/api/registry/packages/';
const PACKAGE = `${PACKAGES}@{project}/{set}`;

/** Every route template the API answers, as the OpenAPI document names them. */
export const ROUTE_TEMPLATES: readonly string[] = [
  ...new Set([...CORE_ROUTES, ...REGISTRY_ROUTES.map((r) => r.path), ...USAGE_ROUTES.map((r) => r.path)]),
];

const exact = new Map<string, string>();
const patterns: { re: RegExp; template: string }[] = [];
/** Under a package name: what follows `@{project}/{set}` ('' for the metadata). */
const packageTails: { re: RegExp; template: string }[] = [];
const compile = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
for (const template of ROUTE_TEMPLATES) {
  if (template.startsWith(PACKAGE)) packageTails.push({ re: compile(template.slice(PACKAGE.length)), template });
  else if (template.includes('{')) patterns.push({ re: compile(template), template });
  else exact.set(template, template);
}

/**
 * The route template of a path relative to the server's base (`/api/registry/packages/@acme/support/-/1.0.0` →
 * `/api/registry/packages/@{project}/{set}/-/{version}`), or undefined when it names no route (a 404). Package
 * names may be written `@p/s` or npm's `@p%2Fs`, as the registry accepts them.
 */
export function httpRouteOf(path: string): string | undefined {
  const known = exact.get(path);
  if (known !== undefined) return known;
  if (path.startsWith(PACKAGES)) {
    const rest = path.slice(PACKAGES.length);
    const first = rest.indexOf('/');
    const head = first < 0 ? rest : rest.slice(0, first);
    if (!(head.startsWith('@') || head.startsWith('%40')) || head.length < 2) return undefined;
    let tail: string;
    if (/%2f/i.test(head)) tail = first < 0 ? '' : rest.slice(first);
    else {
      if (first < 0) return undefined;
      const second = rest.indexOf('/', first + 1);
      if (second === first + 1) return undefined;
      tail = second < 0 ? '' : rest.slice(second);
    }
    for (const { re, template } of packageTails) if (re.test(tail)) return template;
    return undefined;
  }
  for (const { re, template } of patterns) if (re.test(path)) return template;
  return undefined;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);

/** OpenTelemetry's rule: a method outside the standard's is `_OTHER` (keeps the metric's attributes bounded). */
function methodOf(raw: string | undefined): string {
  const method = raw ?? 'GET';
  return METHODS.has(method) ? method : '_OTHER';
}

/**
 * The API handler in a SERVER span with the request duration recorded, when the host registered an SDK; else
 * the handler itself is called, nothing else done.
 */
export function instrumentApiHandler(handler: Handler): Handler {
  return (request, response, path) => {
    const t = currentTracer();
    const m = currentInstruments();
    if (t === null && m === null) return handler(request, response, path);
    return observeRequest(t, m, handler, request, response, path);
  };
}

async function observeRequest(
  t: Tracer | null,
  m: Instruments | null,
  handler: Handler,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  const start = performance.now();
  const method = methodOf(request.method);
  const route = httpRouteOf(path);
  let span: Span | undefined;
  let active: Context | undefined;
  if (t) {
    const current = context.active();
    // Under the host's own HTTP span if it has one (its instrumentation already read `traceparent`), else
    // under the caller's trace.
    const parent = trace.getSpan(current) ? current : propagation.extract(current, request.headers);
    span = t.startSpan(
      route === undefined ? method : `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR.httpMethod]: method,
          [ATTR.urlPath]: path.slice(0, 512),
          ...(route === undefined ? {} : { [ATTR.httpRoute]: route }),
        },
      },
      parent,
    );
    active = trace.setSpan(parent, span);
  }
  try {
    await (active ? context.with(active, () => handler(request, response, path)) : handler(request, response, path));
  } finally {
    const status = response.statusCode;
    const failed = status >= 500;
    if (span) {
      span.setAttribute(ATTR.httpStatus, status);
      if (failed) {
        span.setAttribute(ATTR.errorType, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
    if (m) {
      const attributes: Attributes = { [ATTR.httpMethod]: method, [ATTR.httpStatus]: status };
      if (route !== undefined) attributes[ATTR.httpRoute] = route;
      if (failed) attributes[ATTR.errorType] = String(status);
      m.httpDuration.record((performance.now() - start) / 1000, attributes);
    }
  }
}
