import { BadUserInputError, textProblem, type InputLimits } from '../domain';
import type { OrderedTaskRow, Page, TaskRow } from '../db/ops/reads';
import type { ConnectionShape, PageInfo } from './types/connection';

// Relay cursors are opaque strings over the row id (keyset pagination: stable under inserts).

export const DEFAULT_PAGE_SIZE = 50;

export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  const match = /^id:(0|[1-9]\d*)$/.exec(Buffer.from(cursor.slice(0, 64), 'base64url').toString());
  const id = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(id) || cursor.length > 64)
    throw new BadUserInputError(`Invalid cursor "${cursor.slice(0, 64)}"`);
  return id;
}

export function pageSize(first: number | null | undefined, max: number): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > max)
    throw new BadUserInputError(`first must be between 0 and ${max} (got ${size})`);
  return size;
}

export function toConnection<T extends { id: number }>(
  page: Page<T>,
  after: number | null,
  count: () => Promise<number>,
): ConnectionShape<T> {
  const edges = page.rows.map((node) => ({ cursor: encodeCursor(node.id), node }));
  const pageInfo: PageInfo = {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: after !== null,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes: page.rows,
    pageInfo,
    get totalCount() {
      return (total ??= count());
    },
  };
}

/** Parses a GraphQL ID argument into a row id. */
export function parseId(value: string | number, what: string): number {
  // Decimal digits only: Number() would also take "0x10", " 1", "1e1" and "" (0), each naming another row.
  const id = typeof value === 'number' || /^[1-9][0-9]*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new BadUserInputError(`Invalid ${what} id "${String(value).slice(0, 40)}"`);
  return id;
}

/**
 * Refuses a list filter's text that no stored value can match and that would only cost a scan: names
 * (tool, user, template) beyond the name limit, a search beyond JOBMON_MAX_SEARCH_LENGTH, a NUL.
 */
export function checkFilterText(
  filter: { search?: string | null } & Record<string, unknown>,
  names: readonly string[],
  limits: InputLimits,
): void {
  const problems: string[] = [];
  for (const name of names) {
    const value = filter[name];
    const problem = typeof value === 'string' ? textProblem(value, `filter.${name}`, 'name', limits) : null;
    if (problem) problems.push(problem);
  }
  const search = filter.search;
  if (typeof search === 'string') {
    const problem = textProblem(search, 'filter.search', 'name', {
      ...limits,
      maxNameLength: limits.maxSearchLength,
    });
    if (problem) problems.push(problem);
  }
  if (problems.length) throw new BadUserInputError(`Invalid filter: ${problems.join('; ')}`, problems);
}

// Cursors of an ordered list carry the sort key of their row beside its id, and what the list was sorted
// by: a cursor is refused by a list sorted another way (it would start the page at an arbitrary place).
const ORDERED_CURSOR = 'k:';
const MAX_ORDERED_CURSOR_LENGTH = 2048;

export interface OrderedCursor {
  order: string;
  key: string | number;
  id: number;
}

export function encodeOrderedCursor(cursor: OrderedCursor): string {
  return Buffer.from(ORDERED_CURSOR + JSON.stringify([cursor.order, cursor.key, cursor.id])).toString(
    'base64url',
  );
}

/** The position an ordered list's cursor names; `order` is the list's sort (field and direction). */
export function decodeOrderedCursor(cursor: string | null | undefined, order: string): OrderedCursor | null {
  if (cursor === null || cursor === undefined) return null;
  const refuse = () => new BadUserInputError(`Invalid cursor "${cursor.slice(0, 64)}" for this order`);
  if (cursor.length > MAX_ORDERED_CURSOR_LENGTH) throw refuse();
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith(ORDERED_CURSOR)) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(ORDERED_CURSOR.length));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw refuse();
  const [cursorOrder, key, id] = parsed as unknown[];
  if (cursorOrder !== order) throw refuse();
  if (typeof key !== 'string' && (typeof key !== 'number' || !Number.isFinite(key))) throw refuse();
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw refuse();
  return { order, key, id };
}

/** A connection over an ordered page of tasks: each edge's cursor carries its row's sort key. */
export function toOrderedConnection(
  page: Page<OrderedTaskRow>,
  hasPrevious: boolean,
  order: string,
  count: () => Promise<number>,
): ConnectionShape<TaskRow> {
  const edges = page.rows.map(({ row, sortKey }) => ({
    cursor: encodeOrderedCursor({ order, key: sortKey, id: row.id }),
    node: row,
  }));
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      return (total ??= count());
    },
  };
}
