import { NO_RETRY, type Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';
import { PER_PAGE } from './limits.js';
import { forEachPage } from './paginate.js';
import { writtenBy, type Author, type TokenIdentity } from './users.js';

export interface TrackedIssue {
  number: number;
  state: 'open' | 'closed';
  body: string;
}

const LIST_ISSUES: Endpoint = { route: 'GET /repos/{owner}/{repo}/issues', permission: 'issues: read' };
const CREATE_ISSUE: Endpoint = { route: 'POST /repos/{owner}/{repo}/issues', permission: 'issues: write' };
const UPDATE_ISSUE: Endpoint = { route: 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', permission: 'issues: write' };
const COMMENT: Endpoint = { route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', permission: 'issues: write' };
const GET_LABEL: Endpoint = { route: 'GET /repos/{owner}/{repo}/labels/{name}', permission: 'issues: read' };
const CREATE_LABEL: Endpoint = { route: 'POST /repos/{owner}/{repo}/labels', permission: 'issues: write' };

/**
 * The action's own tracking issue: the lowest-numbered issue, open or closed, that carries the label,
 * whose body starts with the hidden marker, and that the token's own account opened (`writtenBy`). The
 * label narrows the listing to a page or two; the marker makes sure a person's issue with the same label
 * is never taken over, even one that quotes the marker while discussing it; and the author check that a
 * look-alike someone else opened, whose body they can edit between audits (the report, the record of the
 * last audited commit), is not either. Pull requests (which the issues listing also returns) are skipped.
 */
export async function findTrackingIssue(client: Client, repo: RepoRef, label: string, marker: string, identity: TokenIdentity): Promise<TrackedIssue | undefined> {
  type Listed = Author & { number: number; state?: string; body?: string | null; pull_request?: unknown };
  const issues: Listed[] = [];
  // Not Octokit's paginate: it reads a 409 as "no issues", and the action would then open a second one.
  await callEndpoint(LIST_ISSUES, () =>
    forEachPage(client, 'GET /repos/{owner}/{repo}/issues', { ...repo, labels: label, state: 'all', sort: 'created', direction: 'asc', per_page: PER_PAGE }, (data) => {
      issues.push(...expectShape<Listed[]>(LIST_ISSUES, data, (v) => Array.isArray(v) && v.every((i) => hasFields(i, { number: 'number' })), 'a list of issues'));
    }, { checkFullLastPage: true }),
  );
  for (const issue of issues) {
    if (issue.pull_request !== undefined && issue.pull_request !== null) continue;
    if ((issue.body ?? '').trimStart().startsWith(marker) && writtenBy(issue, identity)) {
      return { number: issue.number, state: issue.state === 'closed' ? 'closed' : 'open', body: issue.body ?? '' };
    }
  }
  return undefined;
}

/** GitHub's 422 for a name already taken: `errors: [{ resource: 'Label', code: 'already_exists' }]`. */
function isAlreadyExists(error: unknown): boolean {
  const e = error as { status?: number; response?: { data?: { errors?: unknown } }; cause?: unknown };
  if (e.status !== 422) return false;
  const data = e.response?.data ?? (e.cause as { response?: { data?: { errors?: unknown } } } | undefined)?.response?.data;
  return Array.isArray(data?.errors) && data.errors.some((d: unknown) => (d as { code?: unknown } | null)?.code === 'already_exists');
}

/** Makes sure the label exists, so that creating the issue with it does not fail or make it silently. */
export async function ensureLabel(client: Client, repo: RepoRef, name: string, color: string, description: string): Promise<void> {
  try {
    await callEndpoint(GET_LABEL, () => client.rest.issues.getLabel({ ...repo, name }));
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    // Unlike an issue or a comment, a label cannot be made twice: a create repeated after a lost answer
    // (the client retries it) is refused with 422 because the first one made it, and that is success.
    try {
      await callEndpoint(CREATE_LABEL, () => client.rest.issues.createLabel({ ...repo, name, color, description }));
    } catch (createError) {
      if (!isAlreadyExists(createError)) throw createError;
    }
  }
}

export async function createIssue(client: Client, repo: RepoRef, title: string, body: string, label: string): Promise<number> {
  const { data } = await callEndpoint(CREATE_ISSUE, () => client.rest.issues.create({ ...repo, title, body, labels: [label], ...NO_RETRY }));
  return expectShape<typeof data>(CREATE_ISSUE, data, (v) => hasFields(v, { number: 'number' }), 'the new issue').number;
}

/** Updates the body and, when given, the state of an issue. */
export async function updateIssue(
  client: Client,
  repo: RepoRef,
  issueNumber: number,
  changes: { body?: string; title?: string; state?: 'open' | 'closed' },
): Promise<void> {
  await callEndpoint(UPDATE_ISSUE, () => client.rest.issues.update({ ...repo, issue_number: issueNumber, ...changes }));
}

export async function commentOnIssue(client: Client, repo: RepoRef, issueNumber: number, body: string): Promise<void> {
  await callEndpoint(COMMENT, () => client.rest.issues.createComment({ ...repo, issue_number: issueNumber, body, ...NO_RETRY }));
}
