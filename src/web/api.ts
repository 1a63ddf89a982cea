// The JSON API (/api/v1/...) as a function of a request and the web's picture of the daemon: who may do what,
// what each route answers, and which control-socket request an action becomes. No sockets here (server.ts has them).
import type { ClusterEvent } from '../events/ring.js';
import type { ControlAnswer } from '../daemon/client.js';
import type { ClusterView } from './daemon-view.js';
import { bearer, CsrfTokens, isLoopback, sameSecret, WebError } from './security.js';
import { failovers, timelineSvg } from './timeline.js';

/** A request as the server hands it over: body already read (bounded), headers lower-cased. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** The peer's address. */
  readonly remote: string;
}

/** How the server listens: actions need TLS, and a non-loopback listener needs a token for everything. */
export interface Listener {
  readonly tls: boolean;
  readonly loopback: boolean;
  /** The token of the token file; without one, no request is ever authenticated (so no action is possible). */
  readonly token?: string;
}

export interface ApiContext {
  readonly listener: Listener;
  view(): ClusterView;
  /** The events the web process keeps (oldest first). */
  events(): readonly ClusterEvent[];
  /** One request to the daemon's control socket; undefined when it does not answer. */
  control(req: { cmd: string; [k: string]: unknown }): Promise<ControlAnswer | undefined>;
  readonly csrf: CsrfTokens;
  /** Counts a wrong token (the metric lifeline_web_auth_failures_total). */
  onAuthFailure(): void;
  /** Wall clock (ms), for the timeline's axis. */
  now(): number;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export type Principal = 'anonymous' | 'token';

/** The credential of a request: `Authorization: Bearer T`, or Basic with T as password (what a browser prompts for). */
export function credential(header: string | undefined): string | undefined {
  const b = bearer(header);
  if (b !== undefined) return b;
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : text.slice(colon + 1);
}

/**
 * Who is asking. Without credentials only a loopback client of a loopback listener may read; a credential that is
 * given must be the token (a wrong one is refused even where anonymous reading is allowed, and counted).
 */
export function authenticate(req: Pick<ApiRequest, 'headers' | 'remote'>, l: Listener, onFailure: () => void = () => {}): Principal {
  const given = credential(req.headers.authorization);
  if (given !== undefined) {
    if (l.token !== undefined && sameSecret(given, l.token)) return 'token';
    onFailure();
    throw new WebError(401, 'LL_WEB_TOKEN_WRONG', 'the token does not match the token file');
  }
  if (l.loopback && isLoopback(req.remote)) return 'anonymous';
  throw new WebError(401, 'LL_WEB_AUTH_REQUIRED', 'this listener is not loopback-only: send the token (Authorization: Bearer TOKEN)');
}

/** Answers WebError refusals as `{error:{code,message}}`; a 401 also says how to authenticate. */
export function errorResponse(e: WebError): ApiResponse {
  return {
    status: e.status, body: { error: { code: e.code, message: e.message } },
    ...(e.status === 401 ? { headers: { 'WWW-Authenticate': 'Basic realm="lifeline", charset="UTF-8"' } } : {}),
  };
}

const WHICH = ['all', 'foreign', 'local', 'failback'] as const;
const CRM_ACTIONS = ['move', 'clear', 'cleanup', 'node-standby', 'node-online'] as const;
const ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** Parses an action's JSON body: an object with only the named fields, each a string. */
function actionBody(text: string, fields: readonly string[]): Record<string, string> {
  let v: unknown;
  try { v = text.trim() === '' ? {} : JSON.parse(text); } catch { throw new WebError(400, 'LL_WEB_BAD_JSON', 'the body is not JSON'); }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new WebError(400, 'LL_WEB_BAD_BODY', 'the body must be a JSON object');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!fields.includes(k)) throw new WebError(400, 'LL_WEB_BAD_BODY', `unknown field "${k}" (expected ${fields.join(', ') || 'none'})`);
    if (typeof x !== 'string') throw new WebError(400, 'LL_WEB_BAD_BODY', `field "${k}" must be a string`);
    out[k] = x;
  }
  return out;
}

/** The control-socket request of an action (`standby`, `takeover`, `crm/<action>`), or a 4xx for a bad one. */
export function actionRequest(name: string, body: string): { cmd: string; [k: string]: unknown } {
  if (name === 'standby' || name === 'takeover') {
    const b = actionBody(body, ['which']);
    const which = b.which ?? 'all';
    if (!(WHICH as readonly string[]).includes(which)) throw new WebError(400, 'LL_WEB_BAD_BODY', `which: expected ${WHICH.join(', ')}, found "${which}"`);
    return { cmd: name, which, via: 'web' };
  }
  const m = /^crm\/([a-z-]+)$/.exec(name);
  if (m && (CRM_ACTIONS as readonly string[]).includes(m[1]!)) {
    const node = m[1]!.startsWith('node-');
    const b = actionBody(body, node ? ['node'] : ['resource', 'node']);
    for (const k of node ? ['node'] : ['resource']) if (b[k] === undefined) throw new WebError(400, 'LL_WEB_BAD_BODY', `field "${k}" is required`);
    for (const [k, x] of Object.entries(b)) if (!ID.test(x)) throw new WebError(400, 'LL_WEB_BAD_BODY', `${k}: "${x.slice(0, 80)}" is not a resource or node id`);
    return { cmd: 'crm', action: m[1]!, ...b, via: 'web' };
  }
  throw new WebError(404, 'LL_WEB_NOT_FOUND', `no action ${name}`);
}

/** The daemon's answer to an action → HTTP: refused → 409 with its words, unknown request → 501, silence → 503. */
export function actionResponse(a: ControlAnswer | undefined, req: { cmd: string }): ApiResponse {
  if (!a) throw new WebError(503, 'LL_WEB_DAEMON_DOWN', 'the daemon does not answer on its control socket');
  if (a.ok) return { status: 202, body: { ok: true, request: req } };
  const msg = a.error ?? 'refused';
  if (/^unknown request /.test(msg)) throw new WebError(501, 'LL_WEB_NOT_SUPPORTED', `the daemon does not offer ${req.cmd} (${msg}): crm actions need crm on`);
  throw new WebError(409, 'LL_WEB_DAEMON_REFUSED', msg);
}

/** The nodes as the API lists them. */
export function nodesOf(v: ClusterView): unknown[] {
  const s = v.status;
  if (!s) return [];
  return s.nodes.map((n) => ({
    name: n.name, status: n.status, self: n.name === s.node, links: n.links, lateHeartbeats: v.lateByNode[n.name] ?? 0,
    ...(n.config ? { config: n.config } : {}),
  }));
}

/** The resources: haresources groups with their holder; with crm on the CIB's primitives; `none` when the daemon runs membership only. */
export function resourcesOf(v: ClusterView): unknown {
  const r = v.resources;
  if (v.status?.crm) {
    return {
      mode: 'crm',
      resources: (v.crm ?? []).map((c) => ({ id: c.id, line: c.agent, preferredNode: '', heldBy: c.heldBy, failCount: c.failCount,
        ...(c.parent !== undefined ? { group: c.parent } : {}), failed: c.failed, managed: c.managed, nodes: c.nodes })),
    };
  }
  if (!r) return { mode: 'none', resources: [] };
  return {
    mode: 'haresources', rscstatus: r.rscstatus, autoFailback: r.autoFailback,
    resources: r.groups.map((g) => ({ id: g.key, line: g.line, preferredNode: g.preferredNode, heldBy: g.heldBy, failCount: 0 })),
  };
}

/** `/api/v1/status`: everything at once (the page's stream carries the same plus the timeline). */
export function statusOf(v: ClusterView): Record<string, unknown> {
  const s = v.status;
  return {
    daemonUp: v.daemonUp, updatedAt: v.updatedAt,
    node: s?.node ?? null, version: s?.version ?? null, generation: s?.generation ?? null, uptimeMs: s?.uptimeMs ?? null,
    commUp: s?.commUp ?? false, media: s?.media ?? [],
    // haresources clusters have neither a DC nor quorum (null); with crm on the daemon's status carries both.
    dc: s?.crm?.dc ?? null, quorum: s?.crm ? s.crm.quorum : null,
    nodes: nodesOf(v), resources: resourcesOf(v), counters: s?.counters ?? {}, totals: v.totals,
  };
}

/** What the page shows beside the status: the timeline picture, the failovers and the recent warnings. */
export function pagePayload(v: ClusterView, events: readonly ClusterEvent[], now: number): Record<string, unknown> {
  const warnings = events.filter((e) => e.level !== 'info').slice(-20).reverse();
  return { ...statusOf(v), timeline: timelineSvg(events, now), failovers: failovers(events).slice(-10), warnings };
}

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const s = q.get(name);
  if (s === null) return dflt;
  if (!/^\d{1,15}$/.test(s) || Number(s) < min || Number(s) > max) throw new WebError(400, 'LL_WEB_BAD_QUERY', `${name}: expected an integer from ${min} to ${max}, found "${s.slice(0, 40)}"`);
  return Number(s);
}

/** `/api/v1/events?since=SEQ&limit=N`: the events after SEQ, oldest first; `next` is the `since` of the next page. */
export function eventsPage(events: readonly ClusterEvent[], q: URLSearchParams): unknown {
  const since = intParam(q, 'since', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = intParam(q, 'limit', 100, 1, 1000);
  const page = events.filter((e) => e.seq > since).slice(0, limit);
  const last = events[events.length - 1]?.seq ?? since;
  return { events: page, first: events[0]?.seq ?? null, last, next: page.length ? page[page.length - 1]!.seq : since, more: page.length ? page[page.length - 1]!.seq < last : false };
}

/** Routes /api/v1/*. Never throws: refusals come back as 4xx/5xx JSON. */
export async function handleApi(req: ApiRequest, c: ApiContext): Promise<ApiResponse> {
  try {
    const path = req.path.replace(/\/+$/, '');
    // Over plain HTTP an action is refused before any credential is looked at: a token sent in clear is not one to trust.
    if (path.startsWith('/api/v1/actions/') && !c.listener.tls) throw new WebError(403, 'LL_WEB_TLS_REQUIRED', 'actions need TLS: start lifeline web with --tls-cert and --tls-key');
    const who = authenticate(req, c.listener, () => c.onAuthFailure());
    if (path.startsWith('/api/v1/actions/')) return await action(req, c, who, path.slice('/api/v1/actions/'.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new WebError(405, 'LL_WEB_METHOD', `${req.method} is not allowed on ${path}`);
    switch (path) {
      case '/api/v1/status': return { status: 200, body: statusOf(c.view()) };
      case '/api/v1/nodes': return { status: 200, body: { nodes: nodesOf(c.view()) } };
      case '/api/v1/resources': return { status: 200, body: resourcesOf(c.view()) };
      case '/api/v1/events': return { status: 200, body: eventsPage(c.events(), req.query) };
      case '/api/v1/csrf':
        if (who !== 'token') throw new WebError(401, 'LL_WEB_AUTH_REQUIRED', 'a CSRF token is handed out only with the API token');
        return { status: 200, body: { csrf: c.csrf.issue(c.listener.token!) } };
      default: throw new WebError(404, 'LL_WEB_NOT_FOUND', `no such API path ${path.slice(0, 100)}`);
    }
  } catch (e) {
    if (e instanceof WebError) return errorResponse(e);
    return errorResponse(new WebError(500, 'LL_WEB_INTERNAL', String(e)));
  }
}

/**
 * An action: POST only, over TLS, with the token, a JSON body and the CSRF token (X-CSRF-Token). A browser on
 * another site can send none of these without a CORS preflight, and we answer no preflight.
 */
async function action(req: ApiRequest, c: ApiContext, who: Principal, name: string): Promise<ApiResponse> {
  if (req.method !== 'POST') throw new WebError(405, 'LL_WEB_METHOD', 'actions are POST requests');
  if (who !== 'token') throw new WebError(401, 'LL_WEB_AUTH_REQUIRED', 'actions need the token (Authorization: Bearer TOKEN)');
  if (!c.csrf.valid(c.listener.token!, req.headers['x-csrf-token'])) throw new WebError(403, 'LL_WEB_CSRF', 'missing or wrong X-CSRF-Token (GET /api/v1/csrf hands it out)');
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new WebError(415, 'LL_WEB_CONTENT_TYPE', 'actions take Content-Type: application/json');
  const r = actionRequest(name, req.body);
  return actionResponse(await c.control(r), r);
}
