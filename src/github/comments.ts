import { NO_RETRY, type Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';
import { PER_PAGE } from './limits.js';
import { forEachPage } from './paginate.js';
import { writtenBy, type Author, type TokenIdentity } from './users.js';

/** Hidden first line of the action's pull request comment: how a later run finds the comment to update. */
export const COMMENT_MARKER = '<!-- key-hygiene:comment -->';

export interface IssueRef extends RepoRef {
  issue_number: number;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'not-created';

const LIST_COMMENTS: Endpoint = {
  route: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  permission: 'pull-requests: read',
  notFound: 'the pull request is not visible to this token',
};
const CREATE_COMMENT: Endpoint = {
  route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  permission: 'pull-requests: write',
  notFound: 'the pull request is not visible to this token',
};
const UPDATE_COMMENT: Endpoint = {
  route: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  permission: 'pull-requests: write',
  notFound: 'the comment was deleted while the action ran; rerun the job to post a new one',
};

export interface StickyComment {
  id: number;
  body: string;
}

/**
 * The action's comment on a pull request, searched over every page. It is the comment that the token's
 * own identity wrote and whose body starts with the marker: anyone can post the marker (and a forged
 * finding count after it), and the action must neither write its report into a comment the author of
 * the pull request can edit nor believe what such a comment says.
 * A listing that ends on a full page is checked one page further: not finding the comment means posting
 * a second one.
 */
export async function findStickyComment(client: Client, issue: IssueRef, identity: TokenIdentity): Promise<StickyComment | undefined> {
  return callEndpoint(LIST_COMMENTS, async () => {
    let found: StickyComment | undefined;
    await forEachPage(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...issue, per_page: PER_PAGE }, (data) => {
      const page = expectShape<Array<{ id: number; body?: string | null } & Author>>(LIST_COMMENTS, data, (v) => Array.isArray(v) && v.every((c) => hasFields(c, { id: 'number' })), 'a list of comments');
      const mine = page.find((c) => (c.body ?? '').trimStart().startsWith(COMMENT_MARKER) && writtenBy(c, identity));
      if (mine !== undefined) found = { id: mine.id, body: mine.body ?? '' };
      return found === undefined;
    }, { checkFullLastPage: true });
    return found;
  });
}

/**
 * Creates or updates the action's single comment. An existing comment (as `findStickyComment` returned
 * it) is always brought up to date, skipped when the body is already the same; a new one is posted only
 * when `create` allows it. `body` must start with `COMMENT_MARKER`.
 */
export async function upsertStickyComment(
  client: Client,
  issue: IssueRef,
  existing: StickyComment | undefined,
  body: string,
  create: boolean,
): Promise<CommentOutcome> {
  if (!body.startsWith(COMMENT_MARKER)) throw new Error('the comment body must start with the key-hygiene marker');
  if (existing !== undefined) {
    if (sameText(existing.body, body)) return 'unchanged';
    await callEndpoint(UPDATE_COMMENT, () =>
      client.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: existing.id, body }),
    );
    return 'updated';
  }
  if (!create) return 'not-created';
  await callEndpoint(CREATE_COMMENT, () => client.rest.issues.createComment({ ...issue, body, ...NO_RETRY }));
  return 'created';
}

/** GitHub may hand a body back with CRLF line ends or without its trailing newline. */
function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/\r\n/g, '\n').trimEnd();
  return norm(a) === norm(b);
}
