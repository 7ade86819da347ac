import type { Client } from './client.js';
import { isRateLimitError, toApiError, type Endpoint } from './errors.js';

/**
 * Who the token acts as, to tell the action's own comments from look-alikes anyone can post. A personal
 * token has a login (`GET /user`). An installation token (the workflow's GITHUB_TOKEN, a GitHub App's)
 * may not read `/user` (403 "Resource not accessible by integration"); it acts as the app's bot account,
 * and whatever it writes is marked `performed_via_github_app`, which no person's comment can be.
 */
export type TokenIdentity = { kind: 'user'; login: string } | { kind: 'app' };

const GET_USER: Endpoint = { route: 'GET /user', permission: 'none (any token may read its own account)' };

/** Identities already learnt, per client: a token's account does not change during a run. Failures are not kept. */
const known = new WeakMap<Client, TokenIdentity>();

/** The token's identity: its login when `/user` answers, else an app installation's bot. Asked once per client. */
export async function getTokenIdentity(client: Client): Promise<TokenIdentity> {
  const seen = known.get(client);
  if (seen !== undefined) return seen;
  const identity = await askIdentity(client);
  known.set(client, identity);
  return identity;
}

async function askIdentity(client: Client): Promise<TokenIdentity> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    const login = (data as { login?: unknown }).login;
    if (typeof login === 'string' && login !== '') return { kind: 'user', login };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    // A rate limit is a 403 too, from any token: taken for an installation's refusal, it would make a
    // personal token miss its own comment or tracking issue and open a second one.
    if ((status !== 403 && status !== 404) || isRateLimitError(error)) throw toApiError(error, GET_USER);
  }
  return { kind: 'app' };
}

/** A comment or issue author as GitHub lists it. */
export interface Author {
  user?: { login?: string; type?: string } | null;
  performed_via_github_app?: unknown;
}

/** Whether the token itself wrote an item: the same login, or, for an installation token, an app's bot. */
export function writtenBy(item: Author, identity: TokenIdentity): boolean {
  const login = item.user?.login;
  if (identity.kind === 'user') return typeof login === 'string' && login.toLowerCase() === identity.login.toLowerCase();
  return item.user?.type === 'Bot' && typeof login === 'string' && login.endsWith('[bot]') && item.performed_via_github_app != null;
}
