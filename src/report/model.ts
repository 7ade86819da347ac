import type { AssessedKey } from '../inventory/assess.js';
import type { InventoryProvider } from '../inventory/types.js';
import type { Finding } from '../scan/types.js';

/** Where a secret lives in GitHub. */
export type SecretScope = 'actions' | 'environment' | 'dependabot' | 'codespaces' | 'organization';

export type RotationStatus = 'overdue' | 'due-soon' | 'ok' | 'exempt';

export interface RotationEntry {
  scope: SecretScope;
  /** Environment name, for environment secrets. */
  environment?: string;
  /** Repository full name, in the org audit. */
  repository?: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Whole days since `updatedAt`, in UTC. */
  ageDays: number;
  /** The date (YYYY-MM-DD, UTC) the secret is due for rotation; absent when exempt. */
  dueDate?: string;
  maxAgeDays?: number;
  status: RotationStatus;
  /** Why it is exempt, from the config. */
  reason?: string;
  /** Never updated since it was created. */
  neverRotated: boolean;
}

export interface RotationReport {
  /** `skipped`: no secrets-token; `partial`: some listings could not be read. */
  status: 'audited' | 'partial' | 'skipped';
  entries: RotationEntry[];
  /** One line each: which listing could not be read and which permission is missing. */
  problems: string[];
  /**
   * Set where the report is public and names must not be shown: the renderers then give counts only, and
   * this sentence, which says where to see the details (see `withholdPrivateDetails`). Markdown written by
   * the action itself, never repository text: rendered as is.
   */
  withheld?: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  durationMs: number;
  /** Files passed over, by reason. */
  skipped?: { binary?: number; ignored?: number; tooLarge?: number; unreadable?: number };
  /**
   * Each file that was meant to be scanned and was not (binary, over the size limit, unreadable), by path:
   * notes name only the first few. Files the ignore rules leave out are only counted.
   */
  notScanned?: Array<{ path: string; reason: 'binary' | 'tooLarge' | 'unreadable'; size?: number }>;
  /** GitHub API calls made, in the action. */
  apiCalls?: number;
  /** Findings silenced by a `key-hygiene:allow` marker that the change under review adds itself. */
  suppressedInChange?: number;
}

/** What was scanned: lets renderers link findings to the right commit. */
export interface ReportTarget {
  kind: 'pull_request' | 'push' | 'merge_group' | 'schedule' | 'local';
  serverUrl?: string;
  owner?: string;
  repo?: string;
  /** The commit file links point at (a PR's head). */
  headSha?: string;
  pullNumber?: number;
}

/** What the provider-side key inventory found (opt-in: an admin key input). Ids, names and redacted forms only. */
export interface ProviderKeysReport {
  providers: Array<{
    provider: InventoryProvider;
    /** Keys listed by the provider (all statuses). */
    keys: number;
    /** Whether per-key usage was read (OpenAI only). */
    usageRead: boolean;
    /** One line each: what could not be read and the permission it needs. */
    problems: string[];
  }>;
  /** Keys with at least one flag; admin keys are always here. */
  keys: AssessedKey[];
  unusedDays: number;
  spikeFactor: number;
}

/** Everything one run found: every renderer (comment, check run, summary, SARIF, JSON, text) reads this. */
export interface Report {
  /** Findings, already redacted; `source: 'history'` ones were removed by a later commit. */
  findings: Finding[];
  stats: ScanStats;
  /** Plain sentences about coverage, e.g. files scanned whole because the API left out their patch. */
  notes: string[];
  rotation?: RotationReport;
  /** The provider key inventory, where it was read and may be shown. */
  providerKeys?: ProviderKeysReport;
  target: ReportTarget;
  /**
   * Findings silenced by a `key-hygiene:allow` marker that the change itself adds (redacted like the
   * rest): a change must not be able to approve its own keys, so reviewers see them and decide.
   */
  suppressedInChange?: Finding[];
}
