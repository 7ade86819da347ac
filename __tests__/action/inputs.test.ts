import { describe, expect, it } from 'vitest';
import { getInputs } from '../../src/inputs.js';
import { escapeForLog } from '../../src/action/log.js';
import { toApiError } from '../../src/github/errors.js';

const DEFAULTS: Record<string, string> = {
  'github-token': 'tok',
  'secrets-token': '',
  config: '.github/key-hygiene.yml',
  'fail-on': 'leaks',
  comment: 'on-findings',
  'check-run': 'true',
  'scan-commits': 'true',
  'sarif-file': '',
  'max-secret-age-days': '90',
};
const read = (over: Record<string, string> = {}) => (name: string) => ({ ...DEFAULTS, ...over })[name] ?? '';

describe('getInputs', () => {
  it('reads the action.yml defaults into typed values', () => {
    expect(getInputs(read())).toEqual({
      githubToken: 'tok',
      secretsToken: '',
      config: { path: '.github/key-hygiene.yml', explicit: false },
      failOn: { leaks: true, transport: false, overdueSecrets: false, label: 'leaks' },
      comment: 'on-findings',
      checkRun: true,
      scanCommits: true,
      sarifFile: '',
      maxSecretAgeDays: 90,
      auditOrg: false,
      verify: false,
      discloseNames: false,
      mentionOwners: true,
      openaiAdminKey: '',
      anthropicAdminKey: '',
      providerKeysReport: 'private-only',
      revokeLeaked: false,
    });
  });

  it('masks the admin keys before validating anything else', () => {
    const masked: string[] = [];
    const openai = `admin-${Math.random().toString(36).slice(2)}`;
    const anthropic = `admin-${Math.random().toString(36).slice(2)}`;
    expect(() => getInputs(read({ 'openai-admin-key': openai, 'anthropic-admin-key': anthropic, 'fail-on': 'bad' }), (s) => masked.push(s))).toThrow(/fail-on/);
    expect(masked).toEqual([openai, anthropic]);
    const inputs = getInputs(read({ 'openai-admin-key': ` ${openai} `, 'provider-keys-report': 'always', 'revoke-leaked': 'true' }), () => {});
    expect(inputs).toMatchObject({ openaiAdminKey: openai, anthropicAdminKey: '', providerKeysReport: 'always', revokeLeaked: true });
    expect(() => getInputs(read({ 'provider-keys-report': 'public' }), () => {})).toThrow(/"provider-keys-report".*"public".*private-only, always/);
  });

  it('reads a shard for the org audit and refuses a malformed one', () => {
    expect(getInputs(read({ 'audit-org': 'true', shard: '2/8' }))).toMatchObject({ auditOrg: true, shard: { index: 2, total: 8 } });
    expect(() => getInputs(read({ shard: '9/8' }))).toThrow(/^Input "shard" has value "9\/8"; expected "i\/n"/);
  });

  it.each([
    ['leaks', { leaks: true, transport: false, overdueSecrets: false, label: 'leaks' }],
    ['transport', { leaks: false, transport: true, overdueSecrets: false, label: 'transport' }],
    ['leaks, transport', { leaks: true, transport: true, overdueSecrets: false, label: 'leaks, transport' }],
    ['overdue-secrets,leaks', { leaks: true, transport: false, overdueSecrets: true, label: 'overdue-secrets, leaks' }],
    ['any', { leaks: true, transport: true, overdueSecrets: true, label: 'any' }],
    ['never', { leaks: false, transport: false, overdueSecrets: false, label: 'never' }],
    ['', { leaks: true, transport: false, overdueSecrets: false, label: 'leaks' }],
  ])('reads fail-on "%s" as a list of what fails the run', (value, failOn) => {
    expect(getInputs(read({ 'fail-on': value })).failOn).toEqual(failOn);
  });

  it('treats a config path other than the default as explicit', () => {
    expect(getInputs(read({ config: 'ci/kh.yml' })).config).toEqual({ path: 'ci/kh.yml', explicit: true });
  });

  it.each([
    ['fail-on', 'Leaks', /Input "fail-on" has the invalid value "Leaks"; valid values: leaks, transport, overdue-secrets, any, never; or a comma-separated list of leaks, transport, overdue-secrets\./],
    ['fail-on', 'leaks, never', /"fail-on".*"leaks, never"/],
    ['fail-on', 'any,transport', /"fail-on".*"any,transport"/],
    ['fail-on', 'leaks,', /"fail-on".*"leaks,"/],
    ['comment', 'sometimes', /"comment".*"sometimes".*on-findings, always, never/],
    ['scan-commits', 'yes', /"scan-commits".*"yes".*true, false/],
    ['max-secret-age-days', '0', /"max-secret-age-days".*"0".*whole number/],
    ['max-secret-age-days', '1.5', /"max-secret-age-days".*"1\.5"/],
  ])('rejects %s=%s with one message naming input, value and valid values', (name, value, message) => {
    expect(() => getInputs(read({ [name]: value }))).toThrow(message);
  });

  it('keeps a hostile value on one line in the message', () => {
    expect(() => getInputs(read({ 'fail-on': 'x\n::set-output name=a::b' }))).toThrow(/^[^\n]*$/);
  });
});

describe('escapeForLog', () => {
  it('cannot start a workflow command on a new line', () => {
    const out = escapeForLog('file.ts\n::error::pwned\r\n::add-mask::x');
    expect(out).not.toMatch(/[\r\n]/);
    expect(out).not.toContain('::');
  });
});

describe('toApiError', () => {
  const endpoint = { route: 'POST /repos/{owner}/{repo}/check-runs', permission: 'checks: write' };
  const octokitError = (status: number, message: string, errors?: unknown[]) =>
    Object.assign(new Error(message), { status, response: { data: { message, ...(errors ? { errors } : {}) } } });

  it('names the endpoint, the missing permission and the permissions YAML for a 403', () => {
    const e = toApiError(octokitError(403, 'Resource not accessible by integration'), endpoint);
    expect(e.message).toContain('POST /repos/{owner}/{repo}/check-runs was refused (403: Resource not accessible by integration)');
    expect(e.message).toContain('permissions: { contents: read, checks: write }');
    expect(e.status).toBe(403);
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('says a 403 rate limit is a rate limit, not a permission', () => {
    const e = toApiError(octokitError(403, 'API rate limit exceeded for installation'), endpoint);
    expect(e.message).toMatch(/rate limit/);
    expect(e.message).not.toContain('permissions:');
  });

  it('carries GitHub’s details of a 422', () => {
    const e = toApiError(octokitError(422, 'Validation Failed', [{ message: 'head_sha is not a commit' }]), endpoint);
    expect(e.message).toBe('POST /repos/{owner}/{repo}/check-runs rejected the request as invalid (422: Validation Failed: head_sha is not a commit); rerun the job, and report it to key-hygiene if it persists.');
  });
});
