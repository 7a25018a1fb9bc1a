import { CliError, EXIT } from './output';
import { chooseReport, collectVariable } from './report';

describe('jobmon report', () => {
  const report = (id: string, owner: string | null, example = false) => ({
    id,
    name: 'r',
    owner,
    example,
    query: '{ tools { name } }',
  });

  it('chooses the caller’s own report, then an example, then the only one', () => {
    const reports = [report('1', null, true), report('2', 'bob'), report('3', 'alice')];
    expect(chooseReport('r', reports, 'alice').id).toBe('3');
    expect(chooseReport('r', reports, 'carol').id).toBe('1');
    expect(chooseReport('r', [report('2', 'bob')], 'carol').id).toBe('2');
  });

  it('asks for --owner when several people’s reports share the name, and says when there is none', () => {
    const several = () => chooseReport('r', [report('2', 'bob'), report('3', 'alice')], 'carol');
    expect(several).toThrow(/owners: bob, alice\): choose one with --owner/);
    expect(() => chooseReport('r', [], null)).toThrow(
      expect.objectContaining({ exitCode: EXIT.NOT_FOUND }) as CliError,
    );
  });

  it('reads --var values as JSON when they are, as text otherwise', () => {
    let vars = collectVariable('days=3');
    vars = collectVariable('tool=fit', vars);
    vars = collectVariable('template=null', vars);
    vars = collectVariable('expr=a=b', vars);
    expect(vars).toEqual({ days: 3, tool: 'fit', template: null, expr: 'a=b' });
    expect(() => collectVariable('=3')).toThrow(CliError);
  });
});
