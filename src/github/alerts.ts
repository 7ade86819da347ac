import type { Client } from './client.js';
import type { RepoRef } from './commits.js';
import { PER_PAGE } from './limits.js';
import { forEachPage } from './paginate.js';

/** An open secret-scanning alert, without its secret: only what a reviewer needs to open it on GitHub. */
export interface ScanningAlert {
  number: number;
  secretType: string;
  createdAt: string;
  url: string;
  validity?: string;
  publiclyLeaked?: boolean;
}

/**
 * Open secret-scanning alerts. `hide_secret` asks GitHub not to send the values at all, and the mapping
 * keeps only named fields, so a value could not slip through even if a server ignored the flag.
 * Errors pass through: the audit treats a 403/404 (no access, or secret scanning off) as "not readable".
 */
export async function listOpenSecretScanningAlerts(client: Client, repo: RepoRef): Promise<ScanningAlert[]> {
  // Not Octokit's paginate, which reads a 409 as "no alerts".
  const alerts: Array<{
    number?: number;
    secret_type_display_name?: string;
    secret_type?: string;
    created_at?: string;
    html_url?: string;
    validity?: string;
    publicly_leaked?: boolean | null;
  }> = [];
  await forEachPage(client, 'GET /repos/{owner}/{repo}/secret-scanning/alerts', { ...repo, state: 'open', hide_secret: true, per_page: PER_PAGE }, (data) => {
    if (!Array.isArray(data)) throw new Error('GET /repos/{owner}/{repo}/secret-scanning/alerts: the answer is not a list');
    alerts.push(...(data as typeof alerts));
  });
  return alerts.map((a) => {
    const alert: ScanningAlert = {
      number: a.number ?? 0,
      secretType: a.secret_type_display_name ?? a.secret_type ?? 'secret',
      createdAt: a.created_at ?? '',
      url: a.html_url ?? '',
    };
    if (a.validity !== undefined) alert.validity = a.validity;
    if (typeof a.publicly_leaked === 'boolean') alert.publiclyLeaked = a.publicly_leaked;
    return alert;
  });
}
