/**
 * In-memory state of the fake GitHub API. Tests seed it with plain objects (every field but the
 * identifying ones optional) and may read or mutate it between requests; the server renders
 * GitHub-shaped JSON from it on every request, so a mutation shows up on the next call.
 */
import { createHash } from 'node:crypto';

/** A changed file as the PR-files, commit and compare endpoints list it (GitHub's "diff entry"). */
export interface FakeFile {
  filename: string;
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions?: number;
  deletions?: number;
  /** Omitted, as GitHub omits it, for binary files and diffs too large to render. */
  patch?: string;
  previous_filename?: string;
  /** Blob sha; derived from the filename when not given. */
  sha?: string;
}

export interface FakeCommit {
  sha: string;
  message?: string;
  parents?: string[];
  /** ISO date of author and committer; defaults to a fixed date. */
  date?: string;
  author?: { name?: string; email?: string; login?: string };
  files?: FakeFile[];
}

export interface FakePull {
  number: number;
  title?: string;
  state?: 'open' | 'closed';
  draft?: boolean;
  user?: string;
  labels?: string[];
  /** `repo`: `owner/name` of a fork the head lives in; `null` for a deleted fork; default the repository itself. */
  head: { sha: string; ref: string; repo?: string | null };
  base: { sha: string; ref: string };
  files?: FakeFile[];
  /** Commits of the PR, oldest first. Each is also served by `GET /commits/{sha}`. */
  commits?: FakeCommit[];
}

/** A tree of files at a commit: served by contents, trees and blobs. */
export interface FakeSnapshot {
  /** Commit sha the files live at; also accepted as a tree sha. */
  sha: string;
  /** Branch name pointing at `sha`, e.g. the default branch. */
  ref?: string;
  files: Record<string, string>;
  /** Files served as exact bytes by the raw contents endpoint (a UTF-16 file, say); text files go in `files`. */
  bytes?: Record<string, Uint8Array>;
  /** Force `truncated: true` on the recursive tree, as GitHub does past 100,000 entries or 7 MB. */
  truncated?: boolean;
  /** Paths (also in `files`) the archive stores as symbolic links to the given target. */
  symlinks?: Record<string, string>;
}

export interface FakeComment {
  id: number;
  issue_number: number;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  title?: string;
  raw_details?: string;
  start_column?: number;
  end_column?: number;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id?: string;
  details_url?: string;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation accepted so far (GitHub appends on each update). */
  annotations: FakeAnnotation[];
  /** The annotations of each create/update request, in order: how the action batched them. */
  annotationBatches: FakeAnnotation[][];
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  user: FakeUser;
  assignees: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** An Actions, Dependabot or Codespaces secret: GitHub only ever reveals its name and dates. */
export interface FakeSecret {
  name: string;
  created_at: string;
  updated_at: string;
}

export interface FakeOrgSecret extends FakeSecret {
  visibility: 'all' | 'private' | 'selected';
  /** Repository names (in the org) a `selected` secret is available to. */
  selected_repositories?: string[];
}

export interface FakeVariable {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

export interface FakeEnvironment {
  name: string;
  secrets: FakeSecret[];
  variables: FakeVariable[];
}

export interface FakeSecretScanningAlert {
  number: number;
  state: 'open' | 'resolved';
  secret_type: string;
  secret_type_display_name?: string;
  resolution?: 'false_positive' | 'wont_fix' | 'revoked' | 'used_in_tests' | null;
  created_at?: string;
  /** Served as-is, like GitHub does unless `hide_secret=true`; generate it at test time. */
  secret?: string;
  validity?: 'active' | 'inactive' | 'unknown';
}

export interface FakeCompare {
  base: string;
  head: string;
  /** Commit shas, oldest first; each must be a seeded commit. */
  commits: string[];
  files?: FakeFile[];
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  default_branch: string;
  private: boolean;
  archived: boolean;
  fork: boolean;
  pulls: Map<number, FakePull>;
  commits: Map<string, FakeCommit>;
  /** Branch or tag name -> commit sha. */
  refs: Map<string, string>;
  snapshots: Map<string, FakeSnapshot>;
  /** Blob sha -> content, filled from snapshots. */
  blobs: Map<string, string>;
  compares: FakeCompare[];
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  issues: FakeIssue[];
  labels: FakeLabel[];
  secrets: { actions: FakeSecret[]; dependabot: FakeSecret[]; codespaces: FakeSecret[] };
  variables: FakeVariable[];
  environments: FakeEnvironment[];
  /** `null` means secret scanning is disabled: the alerts endpoint answers 404 as GitHub does. */
  secretScanningAlerts: FakeSecretScanningAlert[] | null;
}

export interface FakeOrg {
  login: string;
  secrets: { actions: FakeOrgSecret[]; dependabot: FakeOrgSecret[]; codespaces: FakeOrgSecret[] };
  variables: FakeVariable[];
  /** Teams by slug, with how many members each has. */
  teams: FakeTeam[];
}

export interface FakeTeam {
  slug: string;
  members_count: number;
}

/** What a test seeds: every collection optional. */
export interface RepoSeed {
  owner: string;
  name: string;
  id?: number;
  default_branch?: string;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  pulls?: FakePull[];
  /** Commits outside any PR (push events, history). */
  commits?: FakeCommit[];
  refs?: Record<string, string>;
  snapshots?: FakeSnapshot[];
  compares?: FakeCompare[];
  comments?: Array<Partial<FakeComment> & { issue_number: number; body: string }>;
  issues?: Array<Partial<Omit<FakeIssue, 'user'>> & { title: string; user?: string }>;
  labels?: Array<Partial<FakeLabel> & { name: string }>;
  secrets?: Partial<Record<'actions' | 'dependabot' | 'codespaces', Array<SecretSeed>>>;
  variables?: Array<VariableSeed>;
  environments?: Array<{ name: string; secrets?: SecretSeed[]; variables?: VariableSeed[] }>;
  secretScanningAlerts?: FakeSecretScanningAlert[] | null;
}

export type SecretSeed = { name: string; created_at?: string; updated_at?: string };
export type VariableSeed = { name: string; value: string; created_at?: string; updated_at?: string };
export type OrgSecretSeed = SecretSeed & { visibility?: FakeOrgSecret['visibility']; selected_repositories?: string[] };

export interface OrgSeed {
  login: string;
  secrets?: Partial<Record<'actions' | 'dependabot' | 'codespaces', OrgSecretSeed[]>>;
  variables?: VariableSeed[];
  teams?: FakeTeam[];
}

export interface FakeInit {
  repos?: RepoSeed[];
  orgs?: OrgSeed[];
  /** The account the token belongs to; comments and issues the action creates carry it. */
  viewer?: FakeUser;
  /** When set, only these tokens are accepted; any other gets 401 "Bad credentials". */
  tokens?: string[];
}

/** A fixed instant so rendered objects are reproducible. */
export const FAKE_EPOCH = '2026-01-15T12:00:00Z';

/** The sha git would give a blob with this content: `sha1("blob <len>\0" + content)`. */
export function gitBlobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

/** A deterministic 40-hex sha for a label, for tests that need many distinct commits. */
export function fakeSha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

export class FakeState {
  readonly repos = new Map<string, FakeRepo>();
  readonly orgs = new Map<string, FakeOrg>();
  viewer: FakeUser;
  tokens: string[] | undefined;
  private nextId = 1000;

  constructor(init: FakeInit = {}) {
    this.viewer = init.viewer ?? { login: 'github-actions[bot]', type: 'Bot' };
    this.tokens = init.tokens;
    for (const org of init.orgs ?? []) this.addOrg(org);
    for (const repo of init.repos ?? []) this.addRepo(repo);
  }

  /** A fresh id for comments, check runs, labels and repos. */
  id(): number {
    return this.nextId++;
  }

  /** The repo `owner/name`, or undefined. Lookup is case-insensitive, as GitHub's is. */
  repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The repo `owner/name`; throws when it was not seeded (a test mistake). */
  mustRepo(fullName: string): FakeRepo {
    const found = this.repos.get(fullName.toLowerCase());
    if (found === undefined) throw new Error(`fake GitHub: repo ${fullName} was not seeded`);
    return found;
  }

  addOrg(seed: OrgSeed): FakeOrg {
    const orgSecrets = (list: OrgSecretSeed[] | undefined): FakeOrgSecret[] =>
      (list ?? []).map((s) => ({ ...secret(s), visibility: s.visibility ?? 'all', selected_repositories: s.selected_repositories }));
    const org: FakeOrg = {
      login: seed.login,
      secrets: {
        actions: orgSecrets(seed.secrets?.actions),
        dependabot: orgSecrets(seed.secrets?.dependabot),
        codespaces: orgSecrets(seed.secrets?.codespaces),
      },
      variables: (seed.variables ?? []).map(variable),
      teams: seed.teams ?? [],
    };
    this.orgs.set(seed.login.toLowerCase(), org);
    return org;
  }

  addRepo(seed: RepoSeed): FakeRepo {
    const repo: FakeRepo = {
      id: seed.id ?? this.id(),
      owner: seed.owner,
      name: seed.name,
      default_branch: seed.default_branch ?? 'main',
      private: seed.private ?? false,
      archived: seed.archived ?? false,
      fork: seed.fork ?? false,
      pulls: new Map(),
      commits: new Map(),
      refs: new Map(Object.entries(seed.refs ?? {})),
      snapshots: new Map(),
      blobs: new Map(),
      compares: [...(seed.compares ?? [])],
      comments: [],
      checkRuns: [],
      issues: [],
      labels: (seed.labels ?? []).map((l) => ({ id: l.id ?? this.id(), name: l.name, color: l.color ?? 'ededed', description: l.description ?? null })),
      secrets: {
        actions: (seed.secrets?.actions ?? []).map(secret),
        dependabot: (seed.secrets?.dependabot ?? []).map(secret),
        codespaces: (seed.secrets?.codespaces ?? []).map(secret),
      },
      variables: (seed.variables ?? []).map(variable),
      environments: (seed.environments ?? []).map((e) => ({
        name: e.name,
        secrets: (e.secrets ?? []).map(secret),
        variables: (e.variables ?? []).map(variable),
      })),
      secretScanningAlerts: seed.secretScanningAlerts === undefined ? [] : seed.secretScanningAlerts,
    };
    this.repos.set(`${seed.owner}/${seed.name}`.toLowerCase(), repo);
    for (const c of seed.commits ?? []) repo.commits.set(c.sha, c);
    for (const pull of seed.pulls ?? []) this.addPull(repo, pull);
    for (const snap of seed.snapshots ?? []) this.addSnapshot(repo, snap);
    for (const c of seed.comments ?? []) {
      repo.comments.push({
        id: c.id ?? this.id(),
        issue_number: c.issue_number,
        body: c.body,
        user: c.user ?? { login: 'octocat', type: 'User' },
        created_at: c.created_at ?? FAKE_EPOCH,
        updated_at: c.updated_at ?? FAKE_EPOCH,
      });
    }
    for (const i of seed.issues ?? []) {
      const { user, ...rest } = i;
      // A login ending in [bot] is an app's bot account, as on GitHub (`github-actions[bot]`).
      this.addIssue(repo, { ...rest, user: user === undefined ? undefined : { login: user, type: user.endsWith('[bot]') ? 'Bot' : 'User' } });
    }
    return repo;
  }

  addPull(repo: FakeRepo, pull: FakePull): void {
    repo.pulls.set(pull.number, pull);
    for (const c of pull.commits ?? []) repo.commits.set(c.sha, c);
    if (!repo.refs.has(pull.head.ref)) repo.refs.set(pull.head.ref, pull.head.sha);
    if (!repo.refs.has(pull.base.ref)) repo.refs.set(pull.base.ref, pull.base.sha);
  }

  addSnapshot(repo: FakeRepo, snap: FakeSnapshot): void {
    repo.snapshots.set(snap.sha, snap);
    if (snap.ref !== undefined) repo.refs.set(snap.ref, snap.sha);
    for (const content of Object.values(snap.files)) repo.blobs.set(gitBlobSha(content), content);
  }

  addIssue(repo: FakeRepo, seed: Partial<Omit<FakeIssue, 'user'>> & { title: string; user?: FakeUser }): FakeIssue {
    const issue: FakeIssue = {
      number: seed.number ?? this.nextIssueNumber(repo),
      title: seed.title,
      body: seed.body ?? null,
      state: seed.state ?? 'open',
      state_reason: seed.state_reason ?? null,
      labels: seed.labels ?? [],
      user: seed.user ?? this.viewer,
      assignees: seed.assignees ?? [],
      created_at: seed.created_at ?? FAKE_EPOCH,
      updated_at: seed.updated_at ?? FAKE_EPOCH,
      closed_at: seed.closed_at ?? null,
    };
    for (const name of issue.labels) this.ensureLabel(repo, name);
    repo.issues.push(issue);
    return issue;
  }

  /** Issues and pull requests share one number sequence, as on GitHub. */
  nextIssueNumber(repo: FakeRepo): number {
    let max = 0;
    for (const n of repo.pulls.keys()) max = Math.max(max, n);
    for (const i of repo.issues) max = Math.max(max, i.number);
    return max + 1;
  }

  ensureLabel(repo: FakeRepo, name: string): FakeLabel {
    const found = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (found !== undefined) return found;
    const label: FakeLabel = { id: this.id(), name, color: 'ededed', description: null };
    repo.labels.push(label);
    return label;
  }

  /** A ref (branch, tag or sha) resolved to a commit or snapshot sha. */
  resolveRef(repo: FakeRepo, ref: string | undefined): string {
    const name = ref ?? repo.default_branch;
    return repo.refs.get(name.replace(/^refs\/(heads|tags)\//, '')) ?? name;
  }

  /** Comments on one issue or PR, oldest first. */
  commentsOn(fullName: string, issueNumber: number): FakeComment[] {
    return this.mustRepo(fullName).comments.filter((c) => c.issue_number === issueNumber);
  }
}

function secret(s: SecretSeed): FakeSecret {
  return { name: s.name, created_at: s.created_at ?? FAKE_EPOCH, updated_at: s.updated_at ?? s.created_at ?? FAKE_EPOCH };
}

function variable(v: VariableSeed): FakeVariable {
  return { name: v.name, value: v.value, created_at: v.created_at ?? FAKE_EPOCH, updated_at: v.updated_at ?? v.created_at ?? FAKE_EPOCH };
}
