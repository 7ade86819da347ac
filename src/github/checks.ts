import { NO_RETRY, type Client } from './client.js';
import type { RepoRef } from './commits.js';
import { callEndpoint, expectShape, hasFields, type Endpoint } from './errors.js';
import { ANNOTATIONS_PER_REQUEST } from './limits.js';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only allowed when the annotation is on one line. */
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title?: string;
  message: string;
}

export interface CheckRunInput {
  name: string;
  /** The commit the check is shown on: a pull request's head, not its merge commit. */
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  /** Markdown, at most 65,535 characters. */
  summary: string;
  annotations: CheckAnnotation[];
}

const CREATE_CHECK: Endpoint = {
  route: 'POST /repos/{owner}/{repo}/check-runs',
  permission: 'checks: write',
  notFound: 'the repository is not visible to this token',
};
const UPDATE_CHECK: Endpoint = {
  route: 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
  permission: 'checks: write',
  notFound: 'the check run was deleted while the action ran; rerun the job to publish a new one',
};

/**
 * Publishes a completed check run with all its annotations: the first 50 with the create call, the rest
 * 50 per update call (GitHub appends annotations on each update). Returns the check run's id.
 */
export async function publishCheckRun(client: Client, repo: RepoRef, input: CheckRunInput): Promise<number> {
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < input.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(input.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  const output = (annotations: CheckAnnotation[] | undefined) => ({
    title: input.title,
    summary: input.summary,
    ...(annotations !== undefined && annotations.length > 0 ? { annotations } : {}),
  });
  const { data: created } = await callEndpoint(CREATE_CHECK, () =>
    client.rest.checks.create({
      ...repo,
      name: input.name,
      head_sha: input.headSha,
      status: 'completed',
      conclusion: input.conclusion,
      output: output(batches[0]),
      ...NO_RETRY,
    }),
  );
  const data = expectShape<typeof created>(CREATE_CHECK, created, (v) => hasFields(v, { id: 'number' }), 'the new check run');
  for (const batch of batches.slice(1)) {
    await callEndpoint(UPDATE_CHECK, () => client.rest.checks.update({ ...repo, check_run_id: data.id, output: output(batch) }));
  }
  return data.id;
}
