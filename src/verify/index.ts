export { KEY_CHECKS, VERIFIABLE_PROVIDERS, checkFor, verdictByStatus } from './checks.js';
export { shouldVerify, verifyGate, type VerifyGateInput } from './gate.js';
export { ACTIVE_KEY_LINE, byVerification, rankFindings, verificationLabel } from './rank.js';
export { signV4, type SigV4Credentials, type SigV4Request, type SigV4Scope } from './sigv4.js';
export type { CheckAnswer, CheckRequest, KeyCheck, Transport, TransportInit, TransportResponse, Verification } from './types.js';
export {
  CHECK_TIMEOUT_MS,
  MAX_CHECKS,
  RUN_BUDGET_MS,
  USER_AGENT,
  guardRequest,
  verifyFindings,
  type VerifyOptions,
} from './verify.js';

import type { Transport } from './types.js';

/** The production transport: the platform's `fetch`. */
export const fetchTransport: Transport = (url, init) => fetch(url, init);
