import type { Report } from './model.js';

/** Where to see what a public report leaves out, and how to show it anyway. */
export const WITHHELD_NOTE =
  'Secret names, repositories and ages are not shown here because this repository is public. People who administer it see them under Settings → Secrets and variables (of the repository or the organization); set `disclose-names: true` to show them in the job summary and tracking issue anyway.';

/**
 * The report as a public surface may show it: the rotation audit as counts only, with no secret name,
 * repository name or age (a list of which secrets exist and which are stale helps whoever wants them).
 * Leak findings are unchanged: they are already redacted, and a reader must be able to find them.
 */
export function withholdPrivateDetails(report: Report, note: string = WITHHELD_NOTE): Report {
  if (report.rotation === undefined || report.rotation.status === 'skipped') return report;
  return { ...report, rotation: { ...report.rotation, withheld: note } };
}
