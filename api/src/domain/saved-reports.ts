/**
 * Saved reports (SPEC §9): a named GraphQL query with its variables, stored with its owner. Pure rules:
 * what a report may hold, and who may change it. Anyone signed in may list and run reports (reads are
 * open to every token); only the owner or an admin overwrites or deletes one; the shipped examples are
 * nobody's and stay.
 */
import { BadUserInputError, ForbiddenError } from '@jobmon/core';
import { Role, type Principal } from './access';
import { jsonValueProblem, textProblem, type InputLimits } from './limits';

/** Caps of what a saved report holds (UTF-8 bytes): a report is a query, not a data store. */
export const REPORT_LIMITS = {
  /** The GraphQL document. */
  maxQueryBytes: 32_768,
  /** The variables, as JSON. */
  maxVariablesBytes: 8_192,
  /** What the report is for. */
  maxDescriptionBytes: 4_096,
  /** Nesting depth of the variables. */
  maxVariablesDepth: 8,
} as const;

export interface ReportDraft {
  name: string;
  description?: string | null;
  query: string;
  variables?: Record<string, unknown> | null;
}

/**
 * Every reason `draft` cannot be saved (empty when it can): a name (as long as any name may be), a query
 * within the cap that `checkDocument` accepts, variables a JSON object within theirs.
 */
export function reportProblems(
  draft: ReportDraft,
  limits: InputLimits,
  /** Why the query is not a GraphQL document of queries only, or null (the caller parses: no I/O here). */
  checkDocument: (query: string) => string | null,
): string[] {
  const problems: string[] = [];
  const name = draft.name.trim();
  if (name === '') problems.push('name must not be empty');
  else if (name !== draft.name) problems.push('name must not start or end with white space');
  const nameProblem = textProblem(draft.name, 'name', 'name', limits);
  if (nameProblem) problems.push(nameProblem);
  const descriptionProblem = textProblem(draft.description, 'description', 'text', {
    ...limits,
    maxTextBytes: Math.min(limits.maxTextBytes, REPORT_LIMITS.maxDescriptionBytes),
  });
  if (descriptionProblem) problems.push(descriptionProblem);
  const queryProblem = textProblem(draft.query, 'query', 'text', {
    ...limits,
    maxTextBytes: Math.min(limits.maxTextBytes, REPORT_LIMITS.maxQueryBytes),
  });
  if (queryProblem) problems.push(queryProblem);
  else if (draft.query.trim() === '') problems.push('query must not be empty');
  else {
    const documentProblem = checkDocument(draft.query);
    if (documentProblem) problems.push(documentProblem);
  }
  const variables = draft.variables ?? null;
  if (variables !== null) {
    if (typeof variables !== 'object' || Array.isArray(variables))
      problems.push('variables must be a JSON object');
    else {
      const depthProblem = jsonValueProblem(variables, REPORT_LIMITS.maxVariablesDepth, 'variables');
      if (depthProblem) problems.push(depthProblem);
      else if (Buffer.byteLength(JSON.stringify(variables), 'utf8') > REPORT_LIMITS.maxVariablesBytes)
        problems.push(`variables are longer than ${REPORT_LIMITS.maxVariablesBytes} bytes as JSON`);
    }
  }
  return problems;
}

export function assertReportDraft(
  draft: ReportDraft,
  limits: InputLimits,
  checkDocument: (query: string) => string | null,
): void {
  const problems = reportProblems(draft, limits, checkDocument);
  if (problems.length) throw new BadUserInputError(`Invalid report: ${problems.join('; ')}`, problems);
}

/** The owner a report saved by `principal` gets: its user, '' in open mode (nobody's, like a workflow's). */
export const reportOwnerKey = (principal: Principal | null): string => principal?.user ?? '';

/** Only the owner or an admin overwrites or deletes a report; an example nobody. Open mode: anyone. */
export function assertMayChangeReport(
  principal: Principal | null,
  report: { id: number; name: string; owner: string; example: boolean },
  change: 'overwrite' | 'delete',
): void {
  if (report.example)
    throw new ForbiddenError(
      `Report "${report.name}" is a shipped example: it cannot be ${change === 'delete' ? 'deleted' : 'overwritten'}`,
    );
  if (!principal || principal.role === Role.ADMIN) return;
  if (report.owner !== principal.user)
    throw new ForbiddenError(
      `Report ${report.id} belongs to ${report.owner || 'nobody'}: only its owner or an admin may ${change} it`,
    );
}
