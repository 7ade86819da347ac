export interface VerifyGateInput {
  /** The `verify` input, or the config asking for live checks. */
  enabled: boolean;
  /** The GitHub event name, e.g. `pull_request_target`. */
  event: string;
  /** The change comes from another repository; undefined when that cannot be known (a merge queue). */
  isFork: boolean | undefined;
  /** Config `verify.allow-forks`. */
  allowForks: boolean;
}

/**
 * Whether live checks run, with the sentence to log when they do not. Fork pull requests are left out by
 * default: anyone can open one, and a public report of which planted keys are live would make the
 * action a free key-testing service for stolen keys.
 */
export function verifyGate(input: VerifyGateInput): { verify: boolean; reason?: string } {
  if (!input.enabled) return { verify: false, reason: 'live checks are off (opt in with the verify input)' };
  if (input.isFork === true && !input.allowForks) {
    return { verify: false, reason: `live checks skipped: ${input.event} from a fork (set verify.allow-forks to check these too)` };
  }
  // Not knowing is treated as a fork: the cost of a wrong guess is a public key-testing service.
  if (input.isFork === undefined && !input.allowForks) {
    return { verify: false, reason: `live checks skipped: a ${input.event} run cannot tell whether the change comes from a fork (set verify.allow-forks to check these too)` };
  }
  return { verify: true };
}

/** Whether live checks run for this event; see `verifyGate` for the reason when they do not. */
export function shouldVerify(input: VerifyGateInput): boolean {
  return verifyGate(input).verify;
}
