import fs from 'node:fs';
import { firstList, toCsv, toResultTable } from '@jobmon/core';
import { CliReportsByNameDocument } from '../generated/graphql';
import { action, CliError, clientCommand, EXIT } from './output';

// `jobmon report NAME|FILE.graphql [--var k=v ...] [--csv]`: runs a saved report (by name) or a query file
// and prints the first list of its result: as JSON (the items as the server sent them), or as CSV (each
// item flattened to dotted columns, as the web UI's table).

/** `k=v`: v as JSON when it is JSON (3, true, null, "x", {...}), else as text; repeatable. */
export function collectVariable(
  value: string,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const at = value.indexOf('=');
  if (at <= 0) throw new CliError(`--var takes NAME=VALUE, not "${value}"`, EXIT.USAGE);
  const name = value.slice(0, at);
  const text = value.slice(at + 1);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the text itself.
  }
  return { ...previous, [name]: parsed };
}

interface SavedReport {
  id: string;
  name: string;
  owner?: string | null;
  example: boolean;
  query: string;
  variables?: unknown;
}

/**
 * Of the saved reports named so: the caller's own, else a shipped example, else the only one; several
 * people's reports of that name need --owner.
 */
export function chooseReport(
  name: string,
  reports: readonly SavedReport[],
  viewer: string | null,
): SavedReport {
  if (reports.length === 0)
    throw new CliError(`no saved report named "${name}" (see the /reports page)`, EXIT.NOT_FOUND);
  const own = reports.find((report) => viewer !== null && report.owner === viewer);
  const example = reports.find((report) => report.example);
  const chosen = own ?? example ?? (reports.length === 1 ? reports[0] : undefined);
  if (chosen) return chosen;
  const owners = reports.map((report) => report.owner ?? '(nobody)').join(', ');
  throw new CliError(
    `several reports are named "${name}" (owners: ${owners}): choose one with --owner`,
    EXIT.USAGE,
  );
}

const isQueryFile = (argument: string) => /\.(graphql|gql)$/i.test(argument) || fs.existsSync(argument);

export const reportCommand = clientCommand(
  'report',
  'Run a saved report (by name) or a GraphQL query file; print the first list of its result as JSON or CSV',
)
  .argument('<report>', 'a saved report’s name, or a FILE.graphql')
  .option(
    '--var <name=value>',
    'a variable (JSON, or text); repeatable; overrides the saved report’s',
    collectVariable,
    {},
  )
  .option('--owner <user>', 'the saved report of this user, when several have the name')
  .option('--csv', 'CSV of the first list, each item flattened to dotted columns')
  .action(
    action(
      async (
        context,
        argument: string,
        options: { var: Record<string, unknown>; owner?: string; csv?: boolean },
      ) => {
        let query: string;
        let saved: Record<string, unknown> = {};
        if (isQueryFile(argument)) {
          try {
            query = fs.readFileSync(argument, 'utf8');
          } catch (error) {
            throw new CliError(`cannot read ${argument}: ${(error as Error).message}`, EXIT.USAGE);
          }
        } else {
          const found = await context.dataClient.query(CliReportsByNameDocument, {
            name: argument,
            owner: options.owner,
          });
          const report = chooseReport(argument, found.reports.nodes, found.viewer.user ?? null);
          query = report.query;
          saved = (report.variables as Record<string, unknown> | null) ?? {};
        }
        const data = await context.dataClient.query<unknown, Record<string, unknown>>(query, {
          ...saved,
          ...options.var,
        });
        if (options.csv) {
          const table = toResultTable(data);
          if (!table) throw new CliError('the result holds no list to write as CSV', EXIT.USAGE);
          process.stdout.write(toCsv(table));
        } else context.printJson(firstList(data)?.items ?? data);
        return EXIT.OK;
      },
    ),
  );
