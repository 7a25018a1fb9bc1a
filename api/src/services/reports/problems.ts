import { DEFAULT_INPUT_LIMITS, textProblem, type InputLimits, type TextKind } from '../../domain';

/** The free-text fields of each kind of report, and how each is bounded (domain/limits.ts). */
const REPORT_TEXT_FIELDS = {
  launched: { backendJobId: 'name', stdoutPath: 'path', stderrPath: 'path' },
  running: { hostname: 'name', backendJobId: 'name' },
  // Output tails are not refused: they are cut to their end (`tail`).
  finished: {
    errorKind: 'errorKind',
    errorMessage: 'output',
    hostname: 'name',
    stdoutPath: 'path',
    stderrPath: 'path',
  },
} as const satisfies Record<string, Record<string, TextKind>>;

/**
 * Why reports cannot be stored, one line per field (empty: they can). The API refuses such a request with
 * BAD_USER_INPUT before anything is written; a distributor then ends the attempt with a short report of
 * its own (REPORT_REFUSED) instead of sending the refused one again.
 */
export function reportProblems(
  kind: keyof typeof REPORT_TEXT_FIELDS,
  reports: readonly { id: number | string }[],
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): string[] {
  const problems: string[] = [];
  const fields = Object.entries(REPORT_TEXT_FIELDS[kind]) as [string, TextKind][];
  for (const report of reports)
    for (const [field, textKind] of fields) {
      const value = (report as Record<string, unknown>)[field] as string | null | undefined;
      const problem = textProblem(value, `task instance ${report.id}: ${field}`, textKind, limits);
      if (problem) problems.push(problem);
    }
  return problems;
}
