import type { Transaction } from 'sequelize';
import { bulkInsert, bulkUpdateById } from './bulk';
import { describeEachDatabase } from '../testing/databases';

// bulkInsert writes values into SQL text itself (for speed): every string must come back byte for byte.
const NASTY = [
  '',
  "it's",
  "''",
  '"double"',
  'back\\slash',
  'trailing backslash \\',
  "\\'",
  'new\nline\r\ncarriage',
  'tab\there',
  'nul\u0000inside',
  'ctrl-z\u001a',
  'backspace\b',
  "'); DROP TABLE bulk_probe; --",
  'ünïcødé ✓ 🚀 日本語',
  '%_ like wildcards',
  '?',
  ':named',
  '$1',
  'x'.repeat(70_000),
];

describeEachDatabase('bulkInsert', (ctx) => {
  beforeAll(async () => {
    await ctx.db.execute(
      ctx.dialect === 'mysql'
        ? 'CREATE TABLE bulk_probe (id INT PRIMARY KEY, value LONGTEXT, number DOUBLE, at DATETIME(3)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
        : 'CREATE TABLE bulk_probe (id INTEGER PRIMARY KEY, value TEXT, number REAL, at TEXT)',
    );
  });

  it('round-trips strings with quotes, backslashes, control characters and unicode', async () => {
    await ctx.db.transaction((transaction) =>
      bulkInsert(
        ctx.db,
        transaction,
        'bulk_probe',
        ['id', 'value'],
        NASTY.map((value, i) => ({ id: i + 1, value })),
      ),
    );
    const rows = await ctx.db.select<{ id: number; value: string }>(
      'SELECT id, value FROM bulk_probe ORDER BY id',
    );
    expect(rows.map((row) => row.value)).toEqual(NASTY);
  });

  it('writes numbers and NULLs, and cuts big batches into several statements that all land', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      id: 1000 + i,
      value: i % 3 === 0 ? null : `v${i}`,
      number: i / 4,
    }));
    const statements = await ctx.db.transaction((transaction) =>
      bulkInsert(ctx.db, transaction, 'bulk_probe', ['id', 'value', 'number'], rows),
    );
    expect(statements).toBeGreaterThan(1);
    const [count] = await ctx.db.select<{ n: number; nulls: number; total: number }>(
      'SELECT COUNT(*) AS n, SUM(CASE WHEN value IS NULL THEN 1 ELSE 0 END) AS nulls, SUM(number) AS total FROM bulk_probe WHERE id >= 1000',
    );
    expect(Number(count!.n)).toBe(12_000);
    expect(Number(count!.nulls)).toBe(4_000);
    expect(Number(count!.total)).toBeCloseTo((11_999 * 12_000) / 2 / 4, 3);
  });

  it('ignores duplicate keys only when asked to', async () => {
    await expect(
      ctx.db.transaction((transaction) =>
        bulkInsert(ctx.db, transaction, 'bulk_probe', ['id', 'value'], [{ id: 1, value: 'again' }]),
      ),
    ).rejects.toThrow();
    await ctx.db.transaction((transaction) =>
      bulkInsert(ctx.db, transaction, 'bulk_probe', ['id', 'value'], [{ id: 1, value: 'again' }], {
        ignoreDuplicates: true,
      }),
    );
    const [row] = await ctx.db.select<{ value: string }>('SELECT value FROM bulk_probe WHERE id = 1');
    expect(row!.value).toBe(NASTY[0]);
  });

  it('skips foreign key checks only for its own statements on MySQL, and turns them back on after a failure', async () => {
    await ctx.db.execute(
      ctx.dialect === 'mysql'
        ? 'CREATE TABLE bulk_child (id INT PRIMARY KEY, probe_id INT NOT NULL, FOREIGN KEY (probe_id) REFERENCES bulk_probe (id))'
        : 'CREATE TABLE bulk_child (id INTEGER PRIMARY KEY, probe_id INTEGER NOT NULL REFERENCES bulk_probe (id))',
    );
    const orphan = [{ id: 1, probe_id: 999_999 }];
    const checksOn = async (transaction: Transaction) => {
      const [row] = await ctx.db.select<{ on: number }>(
        ctx.dialect === 'mysql'
          ? 'SELECT @@SESSION.foreign_key_checks AS `on`'
          : 'SELECT foreign_keys AS "on" FROM pragma_foreign_keys',
        [],
        transaction,
      );
      return Number(row!.on);
    };
    await ctx.db.transaction(async (transaction) => {
      const skipped = bulkInsert(ctx.db, transaction, 'bulk_child', ['id', 'probe_id'], orphan, {
        skipForeignKeyChecks: true,
      });
      // MySQL takes the row unchecked (the caller vouches for its parents); SQLite checks as ever.
      if (ctx.dialect === 'mysql') await skipped;
      else await expect(skipped).rejects.toThrow();
      expect(await checksOn(transaction)).toBe(1);
      // The same row again: a duplicate key, refused; the checks are back on all the same.
      if (ctx.dialect === 'mysql')
        await expect(
          bulkInsert(ctx.db, transaction, 'bulk_child', ['id', 'probe_id'], orphan, {
            skipForeignKeyChecks: true,
          }),
        ).rejects.toThrow();
      expect(await checksOn(transaction)).toBe(1);
      // And checked statements are checked.
      await expect(
        bulkInsert(ctx.db, transaction, 'bulk_child', ['id', 'probe_id'], [{ id: 2, probe_id: 999_999 }]),
      ).rejects.toThrow();
    });
    await ctx.db.execute('DROP TABLE bulk_child');
  });

  it('updates many rows by id, each with its own values, keeping stored values where asked', async () => {
    const ids = NASTY.map((_, i) => i + 1);
    const at = new Date('2026-01-02T03:04:05.678Z');
    await ctx.db.transaction((transaction) =>
      bulkUpdateById(
        ctx.db,
        transaction,
        'bulk_probe',
        [{ column: 'value', keepExisting: true }, { column: 'number' }, { column: 'at' }],
        // Reversed strings for odd ids; even ids report no value, so theirs is kept.
        ids.map((id) => ({ id, value: id % 2 ? `${NASTY[id - 1]}|new` : null, number: id * 1.5, at })),
      ),
    );
    const rows = await ctx.db.select<{ id: number; value: string; number: number; at: unknown }>(
      'SELECT id, value, number, at FROM bulk_probe WHERE id <= ? ORDER BY id',
      [NASTY.length],
    );
    expect(rows.map((row) => row.value)).toEqual(
      NASTY.map((value, i) => ((i + 1) % 2 ? `${value}|new` : value)),
    );
    expect(rows.map((row) => Number(row.number))).toEqual(ids.map((id) => id * 1.5));
    expect(
      new Date(String(rows[0]!.at instanceof Date ? rows[0]!.at.toISOString() : rows[0]!.at)).getTime(),
    ).toBe(at.getTime());
  });
});

describeEachDatabase('bulkUpdateById', (ctx) => {
  beforeAll(async () => {
    await ctx.db.execute(
      ctx.dialect === 'mysql'
        ? 'CREATE TABLE bulk_update_probe (id INT PRIMARY KEY, value LONGTEXT, number DOUBLE, at DATETIME(3)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
        : 'CREATE TABLE bulk_update_probe (id INTEGER PRIMARY KEY, value TEXT, number REAL, at TEXT)',
    );
    await ctx.db.transaction((transaction) =>
      bulkInsert(
        ctx.db,
        transaction,
        'bulk_update_probe',
        ['id', 'value', 'number'],
        Array.from({ length: 2600 }, (_, i) => ({ id: i + 1, value: `old${i + 1}`, number: -1 })),
      ),
    );
  });

  it('gives each of thousands of rows its own values, whatever the first row of a chunk holds', async () => {
    const base = Date.parse('2026-01-02T03:04:05.000Z');
    // Rows 1–2,500 in chunks of 1,000: each chunk's first row is all NULL (the values table takes its
    // column types from every row, not the first), the others an integer, a fraction or a large number,
    // text of any length and a date of their own. Rows 2,501–2,600 are not named: they keep their values.
    const update = Array.from({ length: 2500 }, (_, i) => {
      const id = i + 1;
      if (i % 1000 === 0) return { id, value: null, number: null, at: null };
      return {
        id,
        value: id % 7 === 0 ? 'x'.repeat(3000 + id) : `new${id}`,
        number: id % 3 === 0 ? id : id % 3 === 1 ? id / 8 : id * 1e12,
        at: new Date(base + id * 1001),
      };
    });
    await ctx.db.transaction((transaction) =>
      bulkUpdateById(
        ctx.db,
        transaction,
        'bulk_update_probe',
        [{ column: 'value' }, { column: 'number' }, { column: 'at' }],
        update,
      ),
    );
    const rows = await ctx.db.select<{
      id: number;
      value: string | null;
      number: number | null;
      at: unknown;
    }>('SELECT id, value, number, at FROM bulk_update_probe ORDER BY id');
    const time = (at: unknown) =>
      at === null ? null : at instanceof Date ? at.getTime() : new Date(String(at)).getTime();
    expect(
      rows.map((row) => ({
        id: Number(row.id),
        value: row.value,
        number: row.number === null ? null : Number(row.number),
        at: time(row.at),
      })),
    ).toEqual([
      ...update.map((row) => ({ ...row, at: row.at === null ? null : row.at.getTime() })),
      ...Array.from({ length: 100 }, (_, i) => ({
        id: 2501 + i,
        value: `old${2501 + i}`,
        number: -1,
        at: null,
      })),
    ]);
  });
});
