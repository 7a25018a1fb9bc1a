import { ForbiddenError } from '@jobmon/core';
import { Role, type Principal } from './access';
import { DEFAULT_INPUT_LIMITS } from './limits';
import { assertMayChangeReport, REPORT_LIMITS, reportOwnerKey, reportProblems } from './saved-reports';

// The saved-report rules without a database: what a report may hold, and who may change it.

const alice: Principal = { user: 'alice', role: Role.USER, tokenId: 1 };
const admin: Principal = { user: 'root', role: Role.ADMIN, tokenId: 2 };
const parses = () => null;

describe('saved report rules', () => {
  it('accepts a named query with object variables', () => {
    expect(
      reportProblems(
        { name: 'weekly', query: '{ tools { name } }', variables: { a: 1 } },
        DEFAULT_INPUT_LIMITS,
        parses,
      ),
    ).toEqual([]);
  });

  it('lists every problem at once', () => {
    const problems = reportProblems(
      {
        name: ' x',
        description: 'd'.repeat(REPORT_LIMITS.maxDescriptionBytes + 1),
        query: 'q'.repeat(REPORT_LIMITS.maxQueryBytes + 1),
        variables: [] as never,
      },
      DEFAULT_INPUT_LIMITS,
      parses,
    );
    expect(problems).toEqual([
      'name must not start or end with white space',
      `description is longer than ${REPORT_LIMITS.maxDescriptionBytes} bytes`,
      `query is longer than ${REPORT_LIMITS.maxQueryBytes} bytes`,
      'variables must be a JSON object',
    ]);
  });

  it('takes the document check of its caller, and caps nested and long variables', () => {
    expect(reportProblems({ name: 'n', query: 'nope' }, DEFAULT_INPUT_LIMITS, () => 'not GraphQL')).toEqual([
      'not GraphQL',
    ]);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < REPORT_LIMITS.maxVariablesDepth + 1; i++) deep = { deep };
    expect(
      reportProblems({ name: 'n', query: '{a}', variables: deep }, DEFAULT_INPUT_LIMITS, parses),
    ).toEqual([`variables nests JSON deeper than ${REPORT_LIMITS.maxVariablesDepth} levels`]);
    expect(
      reportProblems(
        { name: 'n', query: '{a}', variables: { s: 'x'.repeat(REPORT_LIMITS.maxVariablesBytes) } },
        DEFAULT_INPUT_LIMITS,
        parses,
      ),
    ).toEqual([`variables are longer than ${REPORT_LIMITS.maxVariablesBytes} bytes as JSON`]);
  });

  it('lets the owner and admins change a report, nobody an example; open mode anyone', () => {
    const alices = { id: 1, name: 'a', owner: 'alice', example: false };
    const bobs = { ...alices, owner: 'bob' };
    const example = { ...alices, owner: '', example: true };
    expect(() => assertMayChangeReport(alice, alices, 'delete')).not.toThrow();
    expect(() => assertMayChangeReport(alice, bobs, 'overwrite')).toThrow(ForbiddenError);
    expect(() => assertMayChangeReport(admin, bobs, 'delete')).not.toThrow();
    expect(() => assertMayChangeReport(null, bobs, 'delete')).not.toThrow();
    for (const who of [alice, admin, null])
      expect(() => assertMayChangeReport(who, example, 'delete')).toThrow(
        /shipped example: it cannot be deleted/,
      );
    expect(reportOwnerKey(alice)).toBe('alice');
    expect(reportOwnerKey(null)).toBe('');
  });
});
