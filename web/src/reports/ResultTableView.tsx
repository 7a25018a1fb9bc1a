import { useMemo } from 'react';
import { toCsv, toJson, toResultTable, type ResultTable } from '@jobmon/core';

/** Offers `text` as a file download (no network: a blob URL of this page, revoked once clicked). */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Rows drawn at most (a page stays responsive); the exports hold every row. */
export const MAX_SHOWN_ROWS = 1000;

const fileBase = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'report';

/** A report's result as a table (the first list in its data), with CSV and JSON exports. */
export function ResultTableView({ data, name }: { data: unknown; name: string }) {
  const table: ResultTable | null = useMemo(() => toResultTable(data), [data]);
  if (data === undefined || data === null) return null;
  if (!table)
    return (
      <p className="empty" data-testid="report-no-list">
        The result holds no list to show as a table.
      </p>
    );
  return (
    <section className="report-result" aria-label="Result table">
      <div className="report-result-bar">
        <span>
          {table.rows.length} {table.rows.length === 1 ? 'row' : 'rows'} from <code>{table.path}</code>
          {table.rows.length > MAX_SHOWN_ROWS && ` (the first ${MAX_SHOWN_ROWS} shown; the exports have all)`}
        </span>
        <button type="button" onClick={() => download(`${fileBase(name)}.csv`, toCsv(table), 'text/csv')}>
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => download(`${fileBase(name)}.json`, toJson(table), 'application/json')}
        >
          Export JSON
        </button>
      </div>
      <div className="report-table-scroll">
        <table className="report-table" data-testid="report-table">
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.slice(0, MAX_SHOWN_ROWS).map((row, i) => (
              <tr key={i}>
                {table.columns.map((column) => (
                  <td key={column}>
                    {row[column] === null || row[column] === undefined ? '' : String(row[column])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
