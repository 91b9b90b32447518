// Which browser requests the server answers. A server on loopback is reachable from every page
// the user opens: a page cannot read its answers (no CORS headers are ever sent, and a
// preflight is refused), but it can send simple requests (a form or text/plain POST), and
// through DNS rebinding (a name of the attacker's that turns into 127.0.0.1) it can make the
// browser treat the server as the attacker's own origin, readable. So:
// - on a loopback bind, a request naming another Host (its own name:port, localhost,
//   127.0.0.1, [::1], or an --allow-origin) is refused on every route, reads included;
// - a write whose Origin is another site's, or whose Sec-Fetch-Site is not same-origin or none,
//   is refused (unless that Origin is allowed with --allow-origin).
import { InputError } from '../errors.js';

/** The header an --open server's own page sends its per-start secret in (see GET /api/meta). */
export const WRITE_SECRET_HEADER = 'X-Sitrep-Write-Secret';

/** Where the server listens: the --host it was given and the port it got. */
export interface Listening {
  host: string;
  port: number;
}

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(address);
}

/** "host:port" as a browser writes it in Host (no port for 80, IPv6 in brackets, lower case), or null if it is none. */
function hostKey(host: string): string | null {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return null;
  }
}

/** The origins the user allows besides the server's own (--allow-origin, SITREP_ALLOW_ORIGIN), as origins; a bad one is an InputError. */
export function allowedOrigins(urls: string[]): string[] {
  return urls.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new InputError(`--allow-origin "${u}" is not a URL: give one as http://name:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`--allow-origin "${u}": expected an http:// or https:// URL`);
    return url.origin;
  });
}

export class RequestGuard {
  private readonly origins: Set<string>;
  private readonly extraHosts: Set<string>;

  constructor(
    private readonly listening: () => Listening | null,
    allowOrigins: string[],
  ) {
    this.origins = new Set(allowOrigins);
    this.extraHosts = new Set(allowOrigins.map((o) => new URL(o).host));
  }

  /** Whether Host is refused: only a loopback bind knows all its names. A request without Host (not from a browser) passes. */
  badHost(host: string | undefined): boolean {
    const at = this.listening();
    if (!at || !isLoopback(at.host) || host === undefined) return false;
    const key = hostKey(host);
    if (key === null) return true;
    const own = [at.host.includes(':') ? `[${at.host}]` : at.host, 'localhost', '127.0.0.1', '[::1]'].map((h) => hostKey(`${h}:${at.port}`));
    return !own.includes(key) && !this.extraHosts.has(key);
  }

  /** Whether an Origin is the server's own (the request's Host) or allowed. */
  private goodOrigin(origin: string, host: string | undefined): boolean {
    if (this.origins.has(origin)) return true;
    const key = host === undefined ? null : hostKey(host);
    return key !== null && origin === `http://${key}`;
  }

  /** Why a write from this browser context is refused, or null: its Origin (when sent) and Sec-Fetch-Site (when sent). */
  crossSite(headers: { origin?: string; site?: string; host?: string }): string | null {
    const { origin, site, host } = headers;
    const allowed = origin !== undefined && this.origins.has(origin);
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && !allowed) {
      return `Sec-Fetch-Site: ${site}: this server takes writes only from its own page${origin ? ` (Origin ${origin})` : ''}; allow another page with --allow-origin`;
    }
    if (origin !== undefined && !this.goodOrigin(origin, host)) return `Origin ${origin} is not this server's: it takes writes only from its own page; allow another with --allow-origin`;
    return null;
  }
}
