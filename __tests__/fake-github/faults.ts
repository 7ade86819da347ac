/**
 * Fault injection for the fake GitHub API: each fault matches requests by method and path and
 * replaces (or, for `delay` and `link-stops-early`, alters) the response of some of them.
 */

/** What the server does instead of answering normally. */
export type FaultKind =
  /** A plain error status with GitHub's JSON body (403 here carries no rate-limit headers). */
  | { fault: 'status'; status: 401 | 403 | 404 | 409 | 422 | 500 | 502 | 503; message?: string }
  /** GitHub's secondary (abuse) rate limit: 403 or 429 with `retry-after` seconds. */
  | { fault: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number }
  /** Primary rate limit: 403 with `x-ratelimit-remaining: 0` and a reset `resetInSeconds` from now. */
  | { fault: 'primary-rate-limit'; status?: 403 | 429; resetInSeconds?: number }
  /**
   * The connection dies. `mid-body` (default): status, headers and part of the body arrive first, so
   * a client sees a 200 whose body cannot be read (octokit then hands back `data: ""`).
   * `before-headers`: nothing arrives (octokit throws a RequestError with status 500, which
   * the retry plugin retries).
   */
  | { fault: 'socket-reset'; when?: 'mid-body' | 'before-headers' }
  /** A 200 whose JSON body is cut short. */
  | { fault: 'malformed-json' }
  /** The normal response, with `rel="next"` and `rel="last"` removed from `Link`: pagination stops here. */
  | { fault: 'link-stops-early' }
  /** The normal response, with every `Link` URL moved to `origin`: a proxy or mirror pointing the client elsewhere. */
  | { fault: 'link-elsewhere'; origin: string }
  /** The normal response, sent after `ms` milliseconds. */
  | { fault: 'delay'; ms: number };

export type FaultSpec = FaultKind & {
  /** HTTP method; any when omitted. */
  method?: string;
  /**
   * Path to match (without query): a template such as `/repos/{owner}/{repo}/pulls/{pull_number}/files`
   * (each `{x}` matches one segment, `*` matches anything), or a RegExp tested against the path.
   */
  path: string | RegExp;
  /** The first matching call (1-based) the fault applies to. Default 1. */
  nth?: number;
  /** How many matching calls it applies to from `nth` on. Default 1. */
  times?: number | 'always';
};

/** A registered fault; `fired` counts the requests it has altered. */
export interface Fault {
  readonly spec: FaultSpec;
  readonly matcher: (method: string, path: string) => boolean;
  /** Matching calls seen so far, fired or not. */
  seen: number;
  fired: number;
}

export class Faults {
  private readonly list: Fault[] = [];

  /** Registers a fault and returns it so a test can read `fired`. */
  add(spec: FaultSpec): Fault {
    const method = spec.method?.toUpperCase();
    const re = typeof spec.path === 'string' ? templateRegExp(spec.path) : spec.path;
    const fault: Fault = {
      spec,
      matcher: (m, p) => (method === undefined || method === m) && re.test(p),
      seen: 0,
      fired: 0,
    };
    this.list.push(fault);
    return fault;
  }

  /** Removes every fault. */
  clear(): void {
    this.list.length = 0;
  }

  /** Faults registered so far, in order. */
  all(): readonly Fault[] {
    return this.list;
  }

  /**
   * The fault to apply to this request, if any. Every matching fault counts the call, so `nth`
   * refers to matching calls whether or not another fault fired on them; the first due fault wins.
   */
  take(method: string, path: string): FaultSpec | undefined {
    let chosen: Fault | undefined;
    for (const fault of this.list) {
      if (!fault.matcher(method, path)) continue;
      fault.seen++;
      const nth = fault.spec.nth ?? 1;
      const times = fault.spec.times ?? 1;
      const due = fault.seen >= nth && (times === 'always' || fault.seen < nth + times);
      if (due && chosen === undefined) chosen = fault;
    }
    if (chosen === undefined) return undefined;
    chosen.fired++;
    return chosen.spec;
  }
}

/** `{name}` matches one path segment, `*` anything; the whole path must match. */
export function templateRegExp(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\}|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (/^\{[^}]+\}$/.test(part)) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}
