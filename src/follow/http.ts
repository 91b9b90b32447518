// HTTP for `sitrep watch`, used only because the user runs it: conditional GETs with a
// User-Agent naming sitrep, one request at a time per host with a pause between them, a time
// limit and a size limit on every answer; and webhook POSTs signed with HMAC-SHA256.
import crypto from 'node:crypto';
import { InputError } from '../errors.js';

export interface HttpOptions {
  userAgent: string;
  /** Pause after each request to a host before the next one to it. */
  hostDelayMs: number;
  timeoutMs: number;
  maxBytes: number;
}

export interface Fetched {
  status: number;
  /** The URL answered after redirects. */
  url: string;
  etag: string | null;
  lastModified: string | null;
  contentType: string;
  body: Buffer;
}

const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Why a request failed, as a short message (the cause's code when fetch wraps one). */
function failure(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

export class PoliteClient {
  /** Per host, the end of the last request's turn: the next waits for it. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(readonly o: HttpOptions) {}

  /** Runs fn in the host's turn: after the previous request to it and its pause. */
  private async inTurn<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const before = this.turns.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.turns.set(host, before.then(() => mine));
    await before;
    try {
      return await fn();
    } finally {
      // The pause runs in the background: the caller goes on, the host's next request waits.
      void sleep(this.o.hostDelayMs).then(release);
    }
  }

  /**
   * A GET, conditional when validators are given (a 304 comes back with an empty body). An
   * unreachable host, a timeout, an error status or a body past the limit throw InputError.
   */
  get(url: string, validators: { etag?: string | null; lastModified?: string | null } = {}): Promise<Fetched> {
    return this.inTurn(new URL(url).host, async () => {
      const headers: Record<string, string> = { 'user-agent': this.o.userAgent, accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5' };
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const signal = AbortSignal.timeout(this.o.timeoutMs);
      let res: Response;
      try {
        res = await fetch(url, { headers, signal, redirect: 'follow' }).catch((e: unknown) => {
          // A kept-alive connection the server closed while idle fails at once: a GET is tried again.
          if (RESET.has(failure(e))) return fetch(url, { headers, signal, redirect: 'follow' });
          throw e;
        });
      } catch (e) {
        throw new InputError(`${url}: cannot be fetched (${failure(e)})`);
      }
      const base = { status: res.status, url: res.url || url, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'), contentType: res.headers.get('content-type') ?? '' };
      if (res.status === 304) {
        await res.body?.cancel();
        return { ...base, body: Buffer.alloc(0) };
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new InputError(`${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      return { ...base, body: await readLimited(res, url, this.o.maxBytes) };
    });
  }
}

/** The body, read until `max` bytes: a larger one is cut off and refused, not buffered whole. */
async function readLimited(res: Response, url: string, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    throw new InputError(`${url}: the answer is ${declared} bytes, more than the ${max} a source may send`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > max) {
        await res.body?.cancel().catch(() => {});
        throw new InputError(`${url}: the answer is more than the ${max} bytes a source may send`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${url}: the answer broke off (${failure(e)})`);
  }
  return Buffer.concat(chunks);
}

export interface Webhook {
  url: string;
  /** The HMAC key; null sends no signature. */
  secret: string | null;
  attempts: number;
  /** Wait before the first retry; doubled, with jitter, for each later one. */
  retryMs: number;
  timeoutMs: number;
  userAgent: string;
}

export const SIGNATURE_HEADER = 'x-sitrep-signature';
/** The alert's id (also in the body): a receiver drops an alert it has had before (a re-send after a crash or an outage). */
export const ALERT_ID_HEADER = 'x-sitrep-alert-id';

/** "sha256=" and the hex HMAC-SHA256 of the exact body, as GitHub's webhooks sign. */
export function signature(body: string, secret: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs one alert; retried on a network error, a 5xx or a 429. Returns the attempts it took;
 * throws InputError when every attempt failed or the hook refused it (another 4xx).
 */
export async function postWebhook(hook: Webhook, body: string, random: () => number = Math.random, extra: Record<string, string> = {}): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': hook.userAgent, ...extra };
  if (hook.secret) headers[SIGNATURE_HEADER] = signature(body, hook.secret);
  let last = '';
  for (let attempt = 1; attempt <= hook.attempts; attempt++) {
    try {
      const res = await fetch(hook.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(hook.timeoutMs) });
      await res.body?.cancel();
      if (res.ok) return attempt;
      last = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) break;
    } catch (e) {
      last = failure(e);
    }
    if (attempt < hook.attempts) await sleep(hook.retryMs * 2 ** (attempt - 1) * (0.5 + random() / 2));
  }
  throw new InputError(`webhook ${hook.url}: ${last}`);
}
