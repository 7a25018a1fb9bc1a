import { firstList, flattenItem, toCsv, toJson, toResultTable } from './report-table';

describe('report result table', () => {
  const data = {
    workflow: {
      id: '3',
      tasks: {
        totalCount: 2,
        nodes: [
          {
            id: '1',
            template: { name: 'fit' },
            lastAttempt: { errorMessage: 'boom, "bad"\nline' },
            tags: ['a'],
          },
          { id: '2', template: { name: 'load' }, lastAttempt: null, extra: 5 },
        ],
      },
    },
  };

  it('finds the first list depth first, with its path', () => {
    expect(firstList(data)).toEqual({ path: 'workflow.tasks.nodes', items: data.workflow.tasks.nodes });
    expect(firstList({ a: { b: 1 } })).toBeNull();
    expect(firstList({ first: [1], second: [2] })!.path).toBe('first');
  });

  it('flattens items into dotted columns, nested lists as JSON', () => {
    expect(flattenItem(data.workflow.tasks.nodes[0])).toEqual({
      id: '1',
      'template.name': 'fit',
      'lastAttempt.errorMessage': 'boom, "bad"\nline',
      tags: '["a"]',
    });
    expect(flattenItem(7)).toEqual({ value: 7 });
  });

  it('makes one column per key seen, in order of appearance', () => {
    const table = toResultTable(data)!;
    expect(table.columns).toEqual([
      'id',
      'template.name',
      'lastAttempt.errorMessage',
      'tags',
      'lastAttempt',
      'extra',
    ]);
    expect(table.rows).toHaveLength(2);
    expect(toResultTable({ viewer: { user: 'x' } })).toBeNull();
  });

  it('exports CSV quoted as RFC 4180 and JSON with every column', () => {
    const table = toResultTable({
      rows: [
        { a: 'x,y', b: 'say "hi"' },
        { a: null, b: 'line\nbreak' },
      ],
    })!;
    expect(toCsv(table)).toBe('a,b\r\n"x,y","say ""hi"""\r\n,"line\nbreak"\r\n');
    expect(JSON.parse(toJson(table))).toEqual([
      { a: 'x,y', b: 'say "hi"' },
      { a: null, b: 'line\nbreak' },
    ]);
  });
});
