import { parse } from 'graphql';
import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import type { Database } from '../db';
import type { SavedReportModel } from '../db/models';
import {
  assertMayChangeReport,
  assertReportDraft,
  BadUserInputError,
  NotFoundError,
  reportOwnerKey,
  type InputLimits,
  type Principal,
} from '../domain';

// Saved reports: list (anyone), save (new, or an overwrite by its owner or an admin), delete (the same).
// The rules are in domain/saved-reports.ts; this file reads and writes the saved_report table.

export interface SavedReportRow {
  id: number;
  /** '' for nobody (open mode, the shipped examples). */
  owner: string;
  name: string;
  description: string | null;
  query: string;
  variables: Record<string, unknown> | null;
  example: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReportListQuery {
  /** Reports of this user only ('' for nobody's: the examples and open mode's). */
  owner?: string | null;
  name?: string | null;
  /** Examples only (true) or none (false); both when unset. */
  example?: boolean | null;
}

export interface ReportInput {
  /** The report to overwrite; a new report when unset. */
  id?: number | null;
  name: string;
  description?: string | null;
  query: string;
  variables?: Record<string, unknown> | null;
}

const toRow = (model: SavedReportModel): SavedReportRow => {
  const plain = model.get({ plain: true });
  return { ...plain, example: Boolean(plain.example), variables: (plain.variables ?? null) as never };
};

function where(query: ReportListQuery): WhereOptions {
  const clauses: WhereOptions[] = [];
  if (query.owner !== undefined && query.owner !== null) clauses.push({ owner: query.owner });
  if (query.name !== undefined && query.name !== null) clauses.push({ name: query.name });
  if (query.example !== undefined && query.example !== null) clauses.push({ example: query.example });
  return { [Op.and]: clauses };
}

/** A page of reports, oldest first (the shipped examples come first): keyset over the id. */
export async function pageReports(
  db: Database,
  query: ReportListQuery,
  first: number,
  after: number | null,
): Promise<{ rows: SavedReportRow[]; hasNextPage: boolean }> {
  const rows = await db.models.SavedReport.findAll({
    where: { [Op.and]: [where(query), after === null ? {} : { id: { [Op.gt]: after } }] },
    order: [['id', 'ASC']],
    limit: first + 1,
  });
  return { rows: rows.slice(0, first).map(toRow), hasNextPage: rows.length > first };
}

export const countReports = (db: Database, query: ReportListQuery): Promise<number> =>
  db.models.SavedReport.count({ where: where(query) });

export async function readReport(db: Database, id: number): Promise<SavedReportRow> {
  const found = await db.models.SavedReport.findByPk(id);
  if (!found) throw new NotFoundError('Report', id);
  return toRow(found);
}

/** Why `query` is not a GraphQL document of queries only (a report reads), or null. */
function documentProblem(query: string): string | null {
  try {
    const document = parse(query, { noLocation: true, maxTokens: 10_000 });
    const writes = document.definitions.some(
      (definition) => definition.kind === 'OperationDefinition' && definition.operation !== 'query',
    );
    return writes ? 'query must hold queries only (a report reads; it does not change or subscribe)' : null;
  } catch (error) {
    return `query is not GraphQL: ${(error as Error).message}`;
  }
}

const nameTaken = (name: string, owner: string) =>
  new BadUserInputError(
    `${owner ? `${owner} has` : 'There is'} already a report named "${name}": pass its id to overwrite it, or choose another name`,
    ['name'],
  );

/**
 * Saves a report: a new one owned by the caller, or (with `id`) an overwrite of the caller's own (an admin's
 * of anyone's), which keeps its owner. Names are unique per owner; bad input writes nothing.
 */
export async function saveReport(
  db: Database,
  principal: Principal | null,
  input: ReportInput,
  limits: InputLimits,
): Promise<SavedReportRow> {
  assertReportDraft(input, limits, documentProblem);
  const values = {
    name: input.name,
    description: input.description ?? null,
    query: input.query,
    variables: input.variables ?? null,
  };
  try {
    return await db.transaction(async (transaction) => {
      const { SavedReport } = db.models;
      if (input.id === undefined || input.id === null) {
        const owner = reportOwnerKey(principal);
        if (await SavedReport.findOne({ where: { owner, name: input.name }, transaction }))
          throw nameTaken(input.name, owner);
        return toRow(await SavedReport.create({ ...values, owner, example: false }, { transaction }));
      }
      const existing = await SavedReport.findByPk(input.id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!existing) throw new NotFoundError('Report', input.id);
      assertMayChangeReport(principal, toRow(existing), 'overwrite');
      const clash = await SavedReport.findOne({
        where: { owner: existing.owner, name: input.name, id: { [Op.ne]: existing.id } },
        transaction,
      });
      if (clash) throw nameTaken(input.name, existing.owner);
      await existing.update(values, { transaction });
      return toRow(existing);
    });
  } catch (error) {
    // Two saves of one name at once: the unique index refuses the second.
    if (error instanceof UniqueConstraintError) throw nameTaken(input.name, reportOwnerKey(principal));
    throw error;
  }
}

/** Deletes a report (its owner or an admin; never an example); returns it as it was. */
export async function deleteReport(
  db: Database,
  principal: Principal | null,
  id: number,
): Promise<SavedReportRow> {
  return db.transaction(async (transaction) => {
    const existing = await db.models.SavedReport.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!existing) throw new NotFoundError('Report', id);
    const row = toRow(existing);
    assertMayChangeReport(principal, row, 'delete');
    await existing.destroy({ transaction });
    return row;
  });
}
