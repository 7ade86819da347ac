import { escapeForLog } from '../action/log.js';
import { bySeverity } from '../report/sort.js';
import { BUILTIN_RULES } from '../rules/index.js';
import { secretOf } from '../scan/engine.js';
import type { Finding, Rule } from '../scan/types.js';
import { checkMatches, KEY_CHECKS } from './checks.js';
import type { CheckAnswer, CheckRequest, KeyCheck, Transport, TransportResponse, Verification } from './types.js';

/** Per-check timeout: a provider that has not answered in 5 s is not going to help the run. */
export const CHECK_TIMEOUT_MS = 5_000;
/** Time for all checks of a run; checks not started by then are reported as not checked. */
export const RUN_BUDGET_MS = 30_000;
/** Checks per run: enough for a real leak, few enough that a planted file cannot make us an oracle. */
export const MAX_CHECKS = 20;
/** Checks in flight at once. */
export const CHECK_CONCURRENCY = 4;
/** The only header besides the credential: no repository, no fingerprint, nothing about the run. */
export const USER_AGENT = 'key-hygiene';
/** Provider answers are read no further than this. */
export const MAX_BODY_CHARS = 65_536;

export interface VerifyOptions {
  /** Sends requests; `fetch` in production. */
  transport: Transport;
  /** Provider ids allowed to be checked (config `verify.providers`); all providers when absent. */
  providers?: readonly string[];
  /**
   * Providers whose keys are not sent anywhere, by id, with the reason each finding then carries: a key
   * whose issuing server cannot be told (a GitHub Enterprise Server token, a self-managed GitLab token
   * in the same format as the public service's) must not go to the public service, which would learn it
   * and could only answer "unknown to me".
   */
  skip?: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch; drives the run budget and the AWS signing time. Default `Date.now`. */
  now?: () => number;
  /** One line per checked finding: rule id, redacted preview and verdict. Never the key. */
  log?: (line: string) => void;
  /** Rules whose offline `validate` a key must pass before it is sent anywhere. Default: the built-in catalogue. */
  rules?: readonly Rule[];
  checks?: readonly KeyCheck[];
  timeoutMs?: number;
  budgetMs?: number;
  maxChecks?: number;
  concurrency?: number;
}

/** One request to make, and every finding (same key seen in several places, pair partners) it decides. */
interface Job {
  check: KeyCheck;
  key: string;
  partner?: string;
  findings: Finding[];
}

/**
 * Checks, for each finding whose rule has a live check, whether the provider still accepts the key, and
 * sets `finding.verification`. Findings of other rules are left alone. Each distinct key is sent once, in
 * severity order, to its own provider's host only, with no retries. Never throws for a provider's answer.
 */
export async function verifyFindings(findings: readonly Finding[], options: VerifyOptions): Promise<void> {
  const clock = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const checks = (options.checks ?? KEY_CHECKS).filter((c) => options.providers === undefined || options.providers.includes(c.provider));
  const rules = new Map((options.rules ?? BUILTIN_RULES).map((r) => [r.id, r]));
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const budgetMs = options.budgetMs ?? RUN_BUDGET_MS;
  const maxChecks = options.maxChecks ?? MAX_CHECKS;

  const settle = (targets: readonly Finding[], verdict: Verification): void => {
    for (const f of targets) {
      f.verification = verdict;
      log(escapeForLog(`live check: ${f.ruleId} ${f.redacted} ${verdict.status}${verdict.reason === undefined ? '' : ` (${verdict.reason})`}`));
    }
  };

  const jobs = planJobs(findings, checks, rules, settle, options.skip);
  const started = clock();
  let launched = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as Job;
      const left = budgetMs - (clock() - started);
      if (launched >= maxChecks) {
        settle(job.findings, { status: 'unknown', reason: `not checked: check limit reached (${maxChecks} per run)` });
      } else if (left <= 0) {
        settle(job.findings, { status: 'unknown', reason: `not checked: time budget spent (${seconds(budgetMs)} per run)` });
      } else {
        launched++;
        settle(job.findings, await runCheck(job, options.transport, new Date(clock()), Math.min(timeoutMs, left)));
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? CHECK_CONCURRENCY, jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

/** Turns findings into jobs, settling at once those that cannot be checked (and saying why). */
function planJobs(
  findings: readonly Finding[],
  checks: readonly KeyCheck[],
  rules: ReadonlyMap<string, Rule>,
  settle: (targets: readonly Finding[], verdict: Verification) => void,
  skip: VerifyOptions['skip'],
): Job[] {
  const jobs = new Map<string, Job>();
  for (const finding of [...findings].sort(bySeverity)) {
    const check = checks.find((c) => checkMatches(c, finding.ruleId));
    if (check === undefined) continue;
    const skipped = skip?.[check.provider];
    if (skipped !== undefined) {
      settle([finding], { status: 'unknown', reason: `not checked: ${skipped}` });
      continue;
    }
    const key = secretOf(finding);
    if (key === undefined) {
      settle([finding], { status: 'unknown', reason: 'not checked: the key value is not available' });
      continue;
    }
    // The engine already drops keys whose checksum fails; this guards findings made any other way.
    const rule = rules.get(finding.ruleId);
    if (rule?.validate !== undefined && !rule.validate(key)) {
      settle([finding], { status: 'unknown', reason: 'not checked: the key fails its offline format check' });
      continue;
    }
    const accepted = check.accepts?.(key) ?? true;
    if (accepted !== true) {
      settle([finding], { status: 'unknown', reason: typeof accepted === 'string' ? accepted : 'not checked: this key type has no live check' });
      continue;
    }
    let partner: Finding | undefined;
    let partnerKey: string | undefined;
    if (check.pair !== undefined) {
      partner = nearestPartner(finding, findings, check.pair);
      partnerKey = partner === undefined ? undefined : secretOf(partner);
      if (partnerKey === undefined) {
        settle([finding], { status: 'unknown', reason: `not checked: no matching secret within ${check.pair.maxLines} lines` });
        continue;
      }
    }
    // One request per distinct key: a key pasted in ten files is one leak, and ten calls could lock it.
    const id = `${check.provider}\u0000${key}\u0000${partnerKey ?? ''}`;
    const job = jobs.get(id);
    const targets = partner === undefined ? [finding] : [finding, partner];
    if (job !== undefined) job.findings.push(...targets);
    else jobs.set(id, partnerKey === undefined ? { check, key, findings: targets } : { check, key, partner: partnerKey, findings: targets });
  }
  return [...jobs.values()];
}

/** The other half of a pair: a finding of a partner rule in the same file and source, closest by line. */
function nearestPartner(finding: Finding, all: readonly Finding[], pair: NonNullable<KeyCheck['pair']>): Finding | undefined {
  let best: Finding | undefined;
  for (const other of all) {
    if (!pair.rules.includes(other.ruleId) || other.file !== finding.file || other.source !== finding.source || other.commit !== finding.commit) continue;
    const distance = Math.abs(other.line - finding.line);
    if (distance > pair.maxLines) continue;
    if (best === undefined || distance < Math.abs(best.line - finding.line)) best = other;
  }
  return best;
}

/**
 * Refuses a request that does not go over HTTPS to exactly the check's declared host (no port, no
 * credentials in the URL). This is the guard that keeps a key from reaching any other server.
 */
export function guardRequest(check: KeyCheck, request: CheckRequest): string | undefined {
  return refuseOtherHost(request.url, check.host, check.provider);
}

/**
 * Why a URL may not carry a credential meant for `host` (`who`'s official API host): anything but HTTPS to
 * exactly that host, on the default port, with no credentials in the URL. Undefined when it may.
 * Live checks and the provider admin clients share it.
 */
export function refuseOtherHost(urlText: string, host: string, who: string): string | undefined {
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return 'refused: the check built an invalid URL';
  }
  if (url.protocol !== 'https:' || url.hostname !== host || url.port !== '' || url.username !== '' || url.password !== '') {
    return `refused: the request would go to ${url.protocol}//${url.host}, not to ${who}'s host ${host}`;
  }
  return undefined;
}

async function runCheck(job: Job, transport: Transport, now: Date, timeoutMs: number): Promise<Verification> {
  const { check } = job;
  let request: CheckRequest;
  try {
    request = check.request(job.key, job.partner === undefined ? { now } : { now, partner: job.partner });
  } catch {
    return { status: 'unknown', reason: 'not checked: the request could not be built' };
  }
  const refused = guardRequest(check, request);
  if (refused !== undefined) return { status: 'unknown', reason: refused };

  const signal = AbortSignal.timeout(timeoutMs);
  let response: TransportResponse;
  try {
    response = await transport(request.url, {
      method: request.method,
      headers: { ...request.headers, 'user-agent': USER_AGENT },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    return { status: 'unknown', reason: failureReason(error, signal, timeoutMs) };
  }
  const answer = answerOf(response);
  try {
    return await check.interpret(answer.answer);
  } catch (error) {
    return { status: 'unknown', reason: signal.aborted ? `no answer within ${seconds(timeoutMs)}` : failureReason(error, signal, timeoutMs, 'unreadable answer') };
  } finally {
    if (!answer.consumed()) await response.body?.cancel().catch(() => {});
  }
}

function answerOf(response: TransportResponse): { answer: CheckAnswer; consumed(): boolean } {
  let body: Promise<string> | undefined;
  const text = (): Promise<string> => (body ??= response.text().then((t) => t.slice(0, MAX_BODY_CHARS)));
  const answer: CheckAnswer = {
    status: response.status,
    header: (name) => response.headers.get(name),
    text,
    json: async () => {
      try {
        return JSON.parse(await text()) as unknown;
      } catch (error) {
        if (error instanceof SyntaxError) return undefined;
        throw error;
      }
    },
  };
  return { answer, consumed: () => body !== undefined };
}

/** A reason from a network failure: the timeout, or a system error code; never the error's message. */
function failureReason(error: unknown, signal: AbortSignal, timeoutMs: number, fallback = 'network error'): string {
  if (signal.aborted || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return `no answer within ${seconds(timeoutMs)}`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? `${fallback} (${code})` : fallback;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
