/**
 * One import for tests built on the fake GitHub API: the server, its state types, fault specs,
 * the OpenAPI conformance check and octokit clients configured like the action's.
 */
export { startFakeGitHub, PR_FILES_CAP, PR_COMMITS_CAP, ANNOTATIONS_PER_REQUEST, type FakeGitHub, type RecordedRequest } from './server.js';
export { FakeState, FAKE_EPOCH, fakeSha, gitBlobSha } from './state.js';
export type * from './state.js';
export { Faults, templateRegExp, type Fault, type FaultKind, type FaultSpec } from './faults.js';
export { checkAgainstOpenApi, type CheckedRequest, type Violation } from './openapi-check.js';
export { plainClient, resilientClient, type Client, type RateLimitCall, type ResilientOptions } from './octokit.js';
