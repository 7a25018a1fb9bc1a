import type { InferAttributes, Model } from 'sequelize';

// A table's columns as raw SQL reads them, derived from its model (the one declaration of each column's
// name and type in code; the migration test checks that the migrations agree): a typo'd or dropped column
// in an operation's row type is a compile error, not a silent undefined.

/** `workflowRunId` → `workflow_run_id` (the models' `underscored` naming). */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Rest}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Rest>}`
  : '';

/**
 * A column's type in a raw row: JSON columns (parsed by the model's getter) are their text; the rest keep
 * the model's type without Sequelize's CreationOptional brand (status columns keep their literal unions).
 */
type Raw<T> = T extends null | undefined
  ? T
  : T extends Date
    ? Date
    : T extends number
      ? number
      : T extends boolean
        ? boolean
        : T extends string
          ? string extends T
            ? string
            : T
          : string | null;

/** Every column of a model's table, by column name, as a raw row holds it. */
export type ColumnsOf<M extends Model> = {
  -readonly [K in keyof InferAttributes<M> & string as SnakeCase<K>]: Raw<InferAttributes<M>[K]>;
};

/** A raw row of some columns of a model's table. */
export type RowOf<M extends Model, K extends keyof ColumnsOf<M>> = Pick<ColumnsOf<M>, K>;
