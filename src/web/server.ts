// The web process's HTTP(S) listener: limits (rate, body size, SSE clients), the page and its local assets,
// /metrics, the event stream (Server-Sent Events) and the JSON API of api.ts. It only ever asks the daemon.
import { crmAction } from './crm-actions.js';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import { controlRequest } from '../daemon/client.js';
import type { ClusterEvent } from '../events/ring.js';
import { authenticate, errorResponse, handleApi, pagePayload, type ApiContext, type Listener } from './api.js';
import { DaemonView, type ClusterView } from './daemon-view.js';
import { ClusterMetrics } from './metrics.js';
import { ASSETS } from './assets.js';
import { CsrfTokens, isLoopback, RateLimiter, securityHeaders, WebError } from './security.js';

export interface WebOptions {
  readonly host: string;
  readonly port: number;
  readonly runDir: string;
  readonly token?: string;
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Requests per second per client (sustained) and burst. */
  readonly ratePerSec?: number;
  readonly burst?: number;
  readonly pollMs?: number;
}

/** Bodies beyond this are refused with 413 before they are read further (actions carry a few dozen bytes). */
export const MAX_BODY = 16 * 1024;
/** At most this many open event streams; more get 503. */
export const MAX_STREAMS = 64;
/** Push a comment this often so proxies and browsers keep an idle stream open. */
const KEEPALIVE_MS = 15_000;

/**
 * Refuses configurations that would expose the cluster: a non-loopback listener without TLS or without a token.
 * Returns the error's text (the CLI prints it and exits 1), or undefined.
 */
export function listenerProblem(o: Pick<WebOptions, 'host' | 'token' | 'tls'>): string | undefined {
  if (isLoopback(o.host)) return undefined;
  if (!o.tls) return `LL_WEB_TLS_REQUIRED: --listen ${o.host} is not a loopback address: it needs --tls-cert and --tls-key`;
  if (o.token === undefined) return `LL_WEB_TOKEN_REQUIRED: --listen ${o.host} is not a loopback address: it needs --token-file (mode 600)`;
  return undefined;
}

export class WebServer {
  readonly daemon: DaemonView;
  readonly metrics = new ClusterMetrics();
  private readonly server: Server;
  private readonly limiter: RateLimiter;
  private readonly csrf = new CsrfTokens();
  private readonly streams = new Set<ServerResponse>();
  private readonly listener: Listener;
  private keepalive: NodeJS.Timeout | undefined;
  private payload = '';

  constructor(readonly o: WebOptions) {
    const problem = listenerProblem(o);
    if (problem) throw new WebError(0, problem.split(':')[0]!, problem);
    this.listener = { tls: !!o.tls, loopback: isLoopback(o.host), ...(o.token !== undefined ? { token: o.token } : {}) };
    this.limiter = new RateLimiter(o.ratePerSec ?? 50, o.burst ?? 100);
    this.daemon = new DaemonView({ runDir: o.runDir, ...(o.pollMs ? { pollMs: o.pollMs } : {}) });
    const handler = (req: IncomingMessage, res: ServerResponse) => { void this.serve(req, res); };
    this.server = o.tls
      ? createHttps({ cert: readFileSync(o.tls.cert), key: readFileSync(o.tls.key), minVersion: 'TLSv1.2' }, handler)
      : createHttp(handler);
    // `Expect: 100-continue` (curl with big bodies): an oversized body is refused before the client sends it.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
        const r = errorResponse(new WebError(413, 'LL_WEB_BODY_TOO_LARGE', `bodies are limited to ${MAX_BODY} bytes`));
        return this.json(res, r.status, r.body, { Connection: 'close' });
      }
      res.writeContinue();
      handler(req, res);
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.daemon.onChange((v, fresh) => this.changed(v, fresh));
  }

  /** Starts polling the daemon and listening; resolves with the bound port. */
  async start(): Promise<number> {
    await this.daemon.start();
    await new Promise<void>((res, rej) => {
      this.server.once('error', rej);
      this.server.listen(this.o.port, this.o.host, () => { this.server.off('error', rej); res(); });
    });
    this.keepalive = setInterval(() => { for (const s of this.streams) s.write(': keepalive\n\n'); }, KEEPALIVE_MS);
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : this.o.port;
  }

  async stop(): Promise<void> {
    this.daemon.stop();
    clearInterval(this.keepalive);
    for (const s of this.streams) s.end();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get url(): string {
    const a = this.server.address();
    const port = typeof a === 'object' && a ? a.port : this.o.port;
    const host = this.o.host.includes(':') ? `[${this.o.host}]` : this.o.host;
    return `${this.o.tls ? 'https' : 'http'}://${host}:${port}/`;
  }

  private ctx(): ApiContext {
    return {
      listener: this.listener, csrf: this.csrf, now: Date.now,
      view: () => this.daemon.view, events: () => this.daemon.events,
      // crm actions go through the operator tools' helpers (CIB reads and changes), everything else is one request.
      control: (r) => (r.cmd === 'crm' ? crmAction(this.o.runDir, r) : controlRequest(this.o.runDir, r, 5000)),
      onAuthFailure: () => this.metrics.authFailures.inc(),
    };
  }

  /** A new view: metrics follow it, and every open stream gets the page's payload and the new events. */
  private changed(v: ClusterView, fresh: readonly ClusterEvent[]): void {
    this.metrics.update(v, fresh);
    this.payload = JSON.stringify(pagePayload(v, this.daemon.events, Date.now()));
    for (const s of this.streams) {
      for (const e of fresh) s.write(`id: ${e.seq}\nevent: cluster-event\ndata: ${JSON.stringify(e)}\n\n`);
      s.write(`event: view\ndata: ${this.payload}\n\n`);
    }
  }

  private send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
    if (status >= 400) this.metrics.refused.inc({ status: String(status) });
    res.writeHead(status, { ...securityHeaders(this.listener.tls), 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
    res.end(body);
  }

  private json(res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void {
    this.send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', extra);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const remote = req.socket.remoteAddress ?? '';
      if (!this.limiter.take(remote)) throw new WebError(429, 'LL_WEB_RATE_LIMITED', 'too many requests: slow down');
      // DNS rebinding: a loopback listener answers only to loopback names.
      if (this.listener.loopback && !/^(127\.[0-9.]+|localhost|\[::1\])(:\d+)?$/.test(req.headers.host ?? '')) {
        throw new WebError(421, 'LL_WEB_BAD_HOST', 'Host must be a loopback name on a loopback listener');
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const body = await readBody(req);
      const path = url.pathname;
      if (path.startsWith('/api/v1/') && path !== '/api/v1/events/stream') {
        const r = await handleApi({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers as Record<string, string | undefined>, body, remote }, this.ctx());
        return this.json(res, r.status, r.body, r.headers);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new WebError(405, 'LL_WEB_METHOD', `${req.method} is not allowed on ${path.slice(0, 100)}`);
      authenticate({ headers: req.headers as Record<string, string | undefined>, remote }, this.listener, () => this.metrics.authFailures.inc());
      if (path === '/metrics') return this.send(res, 200, await this.metrics.text(), this.metrics.contentType);
      if (path === '/api/v1/events/stream') return this.stream(req, res);
      const asset = ASSETS[path === '/' ? '/index.html' : path];
      if (!asset) throw new WebError(404, 'LL_WEB_NOT_FOUND', `no such page ${path.slice(0, 100)}`);
      return this.send(res, 200, asset.body(), asset.type);
    } catch (e) {
      const w = e instanceof WebError ? e : new WebError(500, 'LL_WEB_INTERNAL', String(e));
      const r = errorResponse(w);
      this.json(res, r.status, r.body, { ...r.headers, ...(w.status === 413 ? { Connection: 'close' } : {}) });
    }
  }

  /** The page's event stream: the current view at once, then every change and every new event. */
  private stream(req: IncomingMessage, res: ServerResponse): void {
    if (this.streams.size >= MAX_STREAMS) throw new WebError(503, 'LL_WEB_TOO_MANY_STREAMS', `at most ${MAX_STREAMS} event streams`);
    res.writeHead(200, { ...securityHeaders(this.listener.tls), 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' });
    res.write('retry: 1000\n\n');
    if (!this.payload) this.payload = JSON.stringify(pagePayload(this.daemon.view, this.daemon.events, Date.now()));
    res.write(`event: view\ndata: ${this.payload}\n\n`);
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }
}

/** Reads a request body up to MAX_BODY; a longer one (by Content-Length or by what arrives) is a 413. */
function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) { req.resume(); return Promise.reject(new WebError(413, 'LL_WEB_BODY_TOO_LARGE', `bodies are limited to ${MAX_BODY} bytes`)); }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY) { req.removeAllListeners('data'); req.resume(); reject(new WebError(413, 'LL_WEB_BODY_TOO_LARGE', `bodies are limited to ${MAX_BODY} bytes`)); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
