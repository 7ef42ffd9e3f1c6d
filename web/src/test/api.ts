// A fake API for component tests, typed by the generated `paths`: each route is
// `'METHOD /api/v1/path/{param}'`, its handler gets the path parameters and the typed request
// body, and returns the typed success body (sent with the operation's status and, where the
// contract says so, the resource's `ETag`) — or any `Response` (a problem, another status).
import { vi } from 'vitest';
import { OPERATIONS } from '../api/operations.gen';
import type { paths } from '../api/schema';
import { etagOf } from './fixtures';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
type Path = keyof paths & string;

/** Every operation of the contract, as `'PATCH /api/v1/activations/{id}'`. */
export type Route = {
  [P in Path]: { [M in Method]: paths[P][M] extends { responses: unknown } ? `${Uppercase<M>} ${P}` : never }[Method];
}[Path];

type OpOf<R extends Route> = R extends `${infer M} ${infer P}`
  ? P extends Path
    ? Lowercase<M> extends Method
      ? NonNullable<paths[P][Lowercase<M>]>
      : never
    : never
  : never;

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : R extends { content: { 'text/html': infer H } } ? H : never;
/** The JSON body of an operation's success response (`null` for 204). */
export type OkBody<R extends Route> = OpOf<R> extends { responses: infer Rs }
  ? Rs extends { 200: infer A }
    ? Json<A>
    : Rs extends { 201: infer B }
      ? Json<B>
      : Rs extends { 204: unknown }
        ? null
        : never
  : never;
/** The JSON body an operation takes. */
export type RequestBody<R extends Route> = OpOf<R> extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : OpOf<R> extends { requestBody?: { content: { 'application/merge-patch+json': infer M } } }
    ? M
    : never;
type PathParams<R extends Route> = OpOf<R> extends { parameters: { path: infer PP } } ? PP : Record<string, never>;

export interface RouteContext<R extends Route> {
  req: Request;
  url: URL;
  params: PathParams<R>;
  query: URLSearchParams;
  /** The request body, as the operation types it. */
  body: () => Promise<RequestBody<R>>;
}

type Reply<R extends Route> = OkBody<R> | Response | undefined;
export type RouteHandler<R extends Route> = (ctx: RouteContext<R>) => Reply<R> | Promise<Reply<R>>;
export type Routes = { [R in Route]?: RouteHandler<R> };

export function json(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined || body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

export function problem(status: number, extra: Record<string, unknown> = {}) {
  return json(status, { type: 'about:blank', title: 'Error', status, ...extra });
}

interface Compiled {
  method: string;
  route: string;
  regex: RegExp;
  names: string[];
  handler: (ctx: RouteContext<Route>) => unknown;
}

function compile(routes: Routes): Compiled[] {
  return Object.entries(routes).map(([route, handler]) => {
    const [method, path] = route.split(' ');
    const names: string[] = [];
    const pattern = path.split('/').map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    }).join('/');
    return { method, route, regex: new RegExp(`^${pattern}$`), names, handler: handler as Compiled['handler'] };
  });
}

/** The response of a typed reply: the operation's status, JSON, and the `ETag` if it has one. */
function respond(route: string, body: unknown): Response {
  const op = OPERATIONS[route] ?? { status: 200, etag: false };
  if (body === null || op.status === 204) return new Response(null, { status: op.status === 204 ? 204 : op.status });
  const headers: Record<string, string> = {};
  const updatedAt = (body as { updated_at?: unknown } | undefined)?.updated_at;
  if (op.etag && typeof updatedAt === 'string') headers.ETag = etagOf(updatedAt);
  return json(op.status, body, headers);
}

export interface Call {
  route: string | null;
  method: string;
  url: URL;
  req: Request;
}

/**
 * Replaces `fetch` with the fake API. Unmatched requests answer 404 (`no mock for …`).
 * `calls` records every request (a clone: its body can still be read).
 */
export function mockRoutes(routes: Routes) {
  const compiled = compile(routes);
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    const url = new URL(req.url, 'http://localhost');
    const match = compiled
      .map((c) => ({ c, m: c.method === req.method ? c.regex.exec(url.pathname) : null }))
      .find((x) => x.m);
    calls.push({ route: match?.c.route ?? null, method: req.method, url, req: req.clone() });
    if (!match) return problem(404, { detail: `no mock for ${req.method} ${url.pathname}` });
    const params = Object.fromEntries(match.c.names.map((n, i) => [n, decodeURIComponent(match.m![i + 1])]));
    const reply = await match.c.handler({
      req, url, params: params as never, query: url.searchParams, body: () => req.clone().json() as Promise<never>,
    });
    if (reply === undefined) return problem(404, { detail: `no mock for ${req.method} ${url.pathname}` });
    if (reply instanceof Response) return reply;
    return respond(match.c.route, reply);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    fetchMock,
    /** The requests made to one route, in order. */
    callsTo: (route: Route) => calls.filter((c) => c.route === route),
  };
}
