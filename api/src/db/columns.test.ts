import type { ColumnsOf, RowOf, SnakeCase } from './columns';
import type { TaskInstanceModel, WorkflowModel } from './models';

// Type-level: `tsc -b` (npm test's typecheck) compiles this file, so a derivation that accepted a column
// the model does not have, or got a type wrong, fails the build. The runtime assertions keep Jest honest.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value: T) => value;

describe('columns derived from the models', () => {
  it('names columns as the underscored models do, with the types the models declare', () => {
    expect(assertType<Equal<SnakeCase<'workflowRunId'>, 'workflow_run_id'>>(true)).toBe(true);
    expect(assertType<Equal<ColumnsOf<TaskInstanceModel>['given_up_at'], Date | null>>(true)).toBe(true);
    // A JSON column is its text in a raw row, not the parsed value the model's getter returns.
    expect(assertType<Equal<ColumnsOf<WorkflowModel>['attributes'], string | null>>(true)).toBe(true);
    const row: RowOf<TaskInstanceModel, 'id' | 'status'> = { id: 1, status: 'DONE' };
    expect(Object.keys(row)).toEqual(['id', 'status']);
  });

  it('refuses a column the model does not have (a compile error)', () => {
    // @ts-expect-error: task_instance has no column `stauts`
    const typo: RowOf<TaskInstanceModel, 'stauts'> = {};
    expect(typo).toEqual({});
  });
});
