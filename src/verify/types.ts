import type { Finding } from '../scan/types.js';

/** The outcome of one live check, as stored on `Finding.verification`. */
export type Verification = NonNullable<Finding['verification']>;

/** What a check sends. The URL's host must be the check's declared `host`. */
export interface CheckRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The part of a fetch `Response` the checks read; a real `Response` satisfies it. */
export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  body?: { cancel(): Promise<void> } | null;
}

/** The part of a fetch `RequestInit` the verifier sets. */
export interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Always `manual`: a redirect would carry the key to a host nobody vetted. */
  redirect: 'manual';
}

/** Sends one request. Production passes `fetch`; tests pass one that reroutes to a local fake server. */
export type Transport = (url: string, init: TransportInit) => Promise<TransportResponse>;

/** The answer handed to a check's `interpret`, with the body read on demand. */
export interface CheckAnswer {
  status: number;
  header(name: string): string | null;
  /** The body as text, at most `MAX_BODY_CHARS` characters. */
  text(): Promise<string>;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): Promise<unknown>;
}

export interface CheckContext {
  now: Date;
  /** The other half of a key pair (the AWS secret access key for an access key id). */
  partner?: string;
}

/**
 * How one provider's keys are checked. The check names the only host its keys may go to; the verifier
 * refuses any request whose URL points elsewhere, so a mistake in `request` cannot leak a key.
 */
export interface KeyCheck {
  /** Provider id as written in the config's `verify.providers`, e.g. `openai`. */
  provider: string;
  /** Rule ids whose keys this check tests. */
  rules: readonly string[];
  /** The provider's official API host: the only host this check's requests may go to. */
  host: string;
  /** Keys of a matched rule this check cannot test (AWS temporary keys need a session token). */
  accepts?(key: string): boolean | string;
  /** A key that is only usable with a second secret found next to it. */
  pair?: {
    /** Rule ids of the other half. */
    rules: readonly string[];
    /** How many lines apart, at most, the two may be in the same file. */
    maxLines: number;
  };
  /** The read-only request that tells whether the key works. */
  request(key: string, context: CheckContext): CheckRequest;
  /** Maps the provider's answer to a verdict. */
  interpret(answer: CheckAnswer): Verification | Promise<Verification>;
}
