// A report's result as a table (the web UI's /reports table and `jobmon report --csv` alike): the first
// list found in `data` (depth first, in field order), each item flattened to dotted columns
// (`template.name`, `lastInstance.errorMessage`); a list inside an item stays one cell, as JSON. CSV and
// JSON exports of that table.

export type Cell = string | number | boolean | null;

export interface ResultTable {
  /** Where the list was found, e.g. `workflow.tasks.nodes`. */
  path: string;
  columns: string[];
  rows: Record<string, Cell>[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first array in `value`, depth first, with its dotted path; null when there is none. */
export function firstList(value: unknown, path: string[] = []): { path: string; items: unknown[] } | null {
  if (Array.isArray(value)) return { path: path.join('.'), items: value };
  if (!isObject(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = firstList(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** One item as dotted columns; nested lists as JSON text; an item that is no object is one `value` column. */
export function flattenItem(
  item: unknown,
  prefix = '',
  out: Record<string, Cell> = {},
): Record<string, Cell> {
  if (!isObject(item)) {
    out[prefix || 'value'] = toCell(item);
    return out;
  }
  for (const [key, value] of Object.entries(item)) {
    const column = prefix ? `${prefix}.${key}` : key;
    if (isObject(value)) flattenItem(value, column, out);
    else out[column] = toCell(value);
  }
  return out;
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** The table of a GraphQL result's `data`, or null when it holds no list. */
export function toResultTable(data: unknown): ResultTable | null {
  const found = firstList(data);
  if (!found) return null;
  const rows = found.items.map((item) => flattenItem(item));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const column of Object.keys(row))
      if (!seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
  return { path: found.path, columns, rows };
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF between records. */
export function toCsv(table: ResultTable): string {
  const field = (value: Cell) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map(field).join(',')];
  for (const row of table.rows)
    lines.push(table.columns.map((column) => field(row[column] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The rows as a JSON array of flat objects (every column present, null where an item had none). */
export function toJson(table: ResultTable): string {
  const rows = table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c, row[c] ?? null])));
  return `${JSON.stringify(rows, null, 2)}\n`;
}
