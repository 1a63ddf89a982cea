// The web's guards, pure where they can be: the token file (mode 600 as authkeys), constant-time token checks,
// CSRF tokens bound to the API token, a per-client token-bucket rate limit, and the security headers.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** A refusal the server turns into `{error:{code,message}}` with this HTTP status. */
export class WebError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

/**
 * Reads the token file: one line, at least 16 characters. Refused, as heartbeat refuses authkeys, when group or
 * others may read or write it (mode 600 or 400), or when it is empty.
 */
export function loadTokenFile(file: string): string {
  let mode: number;
  let text: string;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WebError(0, 'LL_WEB_TOKEN_UNREADABLE', `${file}: cannot read the token file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if ((mode & 0o077) !== 0) {
    const m = (mode & 0o777).toString(8).padStart(3, '0');
    throw new WebError(0, 'LL_WEB_TOKEN_PERMISSIONS', `${file}: token file has mode ${m}; it must not be readable by others (expected mode 600 or 400: chmod 600 ${file})`);
  }
  const token = text.split('\n')[0]!.trim();
  if (token.length < 16) throw new WebError(0, 'LL_WEB_TOKEN_SHORT', `${file}:1: token too short (found ${token.length} characters, expected at least 16)`);
  return token;
}

/** Compares without leaking where two strings first differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: Bearer TOKEN` → TOKEN, or undefined. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  return m?.[1];
}

/**
 * CSRF tokens: an HMAC of the API token under a per-process key, handed out by GET /api/v1/csrf to an
 * authenticated caller and required as `X-CSRF-Token` on every action. A page of another origin can neither read
 * it (no CORS) nor send a custom header without a preflight we never grant.
 */
export class CsrfTokens {
  private readonly key = randomBytes(32);
  issue(apiToken: string): string {
    return createHmac('sha256', this.key).update(apiToken).digest('base64url');
  }
  valid(apiToken: string, given: string | undefined): boolean {
    return given !== undefined && sameSecret(this.issue(apiToken), given);
  }
}

/** Token buckets per client address: `ratePerSec` sustained, `burst` at once; clock injected. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly ratePerSec: number, private readonly burst: number, private readonly now: () => number = () => performance.now()) {}

  /** True when the client may go on; false means 429. */
  take(client: string): boolean {
    const t = this.now();
    let b = this.buckets.get(client);
    if (!b) {
      // Bounded memory: a flood of addresses resets the table rather than growing it.
      if (this.buckets.size > 10_000) this.buckets.clear();
      b = { tokens: this.burst, at: t };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.ratePerSec);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/** Every answer carries these; the page's CSP allows only our own scripts, styles and images (no inline script). */
export function securityHeaders(tls: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    ...(tls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

/** Whether an address is loopback (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(addr: string): boolean {
  return /^127\./.test(addr) || addr === '::1' || /^::ffff:127\./.test(addr) || addr === 'localhost';
}
