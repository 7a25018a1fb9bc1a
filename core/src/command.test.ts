import {
  BadUserInputError,
  canonicalJson,
  compileTemplate,
  invalidArgValues,
  nodeArgValues,
  renderCommand,
  templatePlaceholders,
  validateTemplate,
} from './index';

const FIT = 'python fit.py --loc {location} --year {year} --draws {draws}';
const NAME_RULE = '^[A-Za-z_][A-Za-z0-9_]*$';

describe('templatePlaceholders', () => {
  it('lists names in order of first appearance, each once', () => {
    expect(templatePlaceholders(`${FIT} --again {year}`)).toEqual(['location', 'year', 'draws']);
  });

  it('treats {{ and }} as literal braces', () => {
    expect(templatePlaceholders("awk '{{print $1}}' {file}")).toEqual(['file']);
    expect(templatePlaceholders('{{{x}}}')).toEqual(['x']);
    expect(templatePlaceholders('{{not_a_placeholder}}')).toEqual([]);
  });

  it('skips malformed braces (validateTemplate reports them)', () => {
    expect(templatePlaceholders('{1} { x } {_ok9} {open')).toEqual(['_ok9']);
  });

  it('returns nothing for a template without placeholders', () => {
    expect(templatePlaceholders('echo hello')).toEqual([]);
  });
});

describe('validateTemplate', () => {
  it('makes every placeholder a node arg when no group is declared', () => {
    expect(validateTemplate({ name: 'fit', commandTemplate: FIT })).toEqual({
      problems: [],
      nodeArgs: ['location', 'year', 'draws'],
      taskArgs: [],
      opArgs: [],
    });
    expect(
      validateTemplate({ name: 'fit', commandTemplate: FIT, nodeArgs: null, taskArgs: null, opArgs: null }),
    ).toEqual({ problems: [], nodeArgs: ['location', 'year', 'draws'], taskArgs: [], opArgs: [] });
  });

  it('accepts a template whose placeholders are all declared, normalizing null groups to []', () => {
    expect(
      validateTemplate({
        name: 'fit',
        commandTemplate: FIT,
        nodeArgs: ['location', 'year'],
        taskArgs: ['draws'],
      }),
    ).toEqual({ problems: [], nodeArgs: ['location', 'year'], taskArgs: ['draws'], opArgs: [] });
  });

  it('drops duplicates within one group', () => {
    const v = validateTemplate({
      name: 'fit',
      commandTemplate: FIT,
      nodeArgs: ['location', 'year', 'location'],
      opArgs: ['draws'],
    });
    expect(v.problems).toEqual([]);
    expect(v.nodeArgs).toEqual(['location', 'year']);
  });

  it('reports a placeholder declared in no group once any group is declared', () => {
    expect(
      validateTemplate({ name: 'fit', commandTemplate: FIT, nodeArgs: ['location', 'draws'] }).problems,
    ).toEqual(['template "fit": placeholder {year} is not declared in nodeArgs, taskArgs or opArgs']);
    // An empty list is a declaration too.
    expect(validateTemplate({ name: 'echo', commandTemplate: 'echo {x}', taskArgs: [] }).problems).toEqual([
      'template "echo": placeholder {x} is not declared in nodeArgs, taskArgs or opArgs',
    ]);
  });

  it('reports an argument declared in two groups', () => {
    expect(
      validateTemplate({
        name: 'fit',
        commandTemplate: FIT,
        nodeArgs: ['location', 'year'],
        taskArgs: ['year', 'draws'],
      }).problems,
    ).toEqual(['template "fit": argument "year" is declared in both nodeArgs and taskArgs']);
  });

  it('reports a declared argument missing from the template', () => {
    expect(
      validateTemplate({
        name: 'fit',
        commandTemplate: FIT,
        nodeArgs: ['location', 'year'],
        taskArgs: ['draws'],
        opArgs: ['threads'],
      }).problems,
    ).toEqual(['template "fit": opArgs argument "threads" does not appear in the command template']);
  });

  it('reports an argument name that can never be a placeholder', () => {
    expect(validateTemplate({ name: 't', commandTemplate: 'run', nodeArgs: ['1x'] }).problems).toEqual([
      `template "t": nodeArgs argument "1x" is not a valid name (must match ${NAME_RULE})`,
    ]);
  });

  it('reports an empty name and an empty command template', () => {
    expect(validateTemplate({ name: '', commandTemplate: '   ' }).problems).toEqual([
      'template name must not be empty',
      'template "": commandTemplate must not be empty',
    ]);
  });

  it('reports malformed braces with their offsets', () => {
    expect(validateTemplate({ name: 'bad', commandTemplate: 'run {1} { x } {ok' }).problems).toEqual([
      `template "bad": invalid placeholder "{1}" at offset 4: names must match ${NAME_RULE} (write {{ and }} for literal braces)`,
      `template "bad": invalid placeholder "{ x }" at offset 8: names must match ${NAME_RULE} (write {{ and }} for literal braces)`,
      'template "bad": unclosed "{" at offset 14 (write {{ for a literal brace)',
    ]);
    expect(validateTemplate({ name: 't', commandTemplate: 'a } b' }).problems).toEqual([
      'template "t": unmatched "}" at offset 2 (write }} for a literal brace)',
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      validateTemplate({
        name: 'fit',
        commandTemplate: 'python fit.py {location} {year} {1}',
        nodeArgs: ['location', 'draws'],
        taskArgs: ['location'],
      }).problems,
    ).toEqual([
      `template "fit": invalid placeholder "{1}" at offset 32: names must match ${NAME_RULE} (write {{ and }} for literal braces)`,
      'template "fit": nodeArgs argument "draws" does not appear in the command template',
      'template "fit": argument "location" is declared in both nodeArgs and taskArgs',
      'template "fit": placeholder {year} is not declared in nodeArgs, taskArgs or opArgs',
    ]);
  });
});

describe('renderCommand / compileTemplate', () => {
  it('substitutes strings as-is and numbers and booleans via String()', () => {
    expect(renderCommand(FIT, { location: 'USA', year: 2020, draws: 1000 })).toEqual({
      command: 'python fit.py --loc USA --year 2020 --draws 1000',
    });
    expect(renderCommand('run {a} {b} {c} {d} {e}', { a: true, b: false, c: 1.5, d: -0, e: '' })).toEqual({
      command: 'run true false 1.5 0 ',
    });
  });

  it('ignores arguments that are not placeholders', () => {
    expect(renderCommand('echo {x}', { x: 'hi', unused: { deep: 1 } })).toEqual({ command: 'echo hi' });
  });

  it('repeats a placeholder used twice', () => {
    expect(renderCommand('{x}-{x}', { x: 7 })).toEqual({ command: '7-7' });
  });

  it('unescapes {{ and }}', () => {
    expect(renderCommand("awk '{{print $1}}' {file}", { file: 'a.txt' })).toEqual({
      command: "awk '{print $1}' a.txt",
    });
    expect(renderCommand('{{{x}}}', { x: 1 })).toEqual({ command: '{1}' });
  });

  it('reports every missing placeholder once, in template order', () => {
    expect(renderCommand(`${FIT} {year}`, { location: 'USA' })).toEqual({ missing: ['year', 'draws'] });
    expect(renderCommand('{a}', { a: undefined })).toEqual({ missing: ['a'] });
  });

  it('does not take inherited properties for arguments', () => {
    expect(renderCommand('{constructor} {toString}', {})).toEqual({ missing: ['constructor', 'toString'] });
    expect(renderCommand('{constructor}', { constructor: 'c' })).toEqual({ command: 'c' });
  });

  it('throws for a value that has no text form', () => {
    expect(() => renderCommand('{x}', { x: null })).toThrow(
      new BadUserInputError('Argument "x" must be a string, a finite number or a boolean (got null)'),
    );
    expect(() => renderCommand('{x}', { x: NaN })).toThrow(
      'Argument "x" must be a string, a finite number or a boolean (got NaN)',
    );
    expect(() => renderCommand('{x}', { x: [1] })).toThrow('(got an array)');
    expect(() => renderCommand('{x}', { x: { a: 1 } })).toThrow('(got an object)');
  });

  it('refuses to compile a malformed template', () => {
    let error: unknown;
    try {
      compileTemplate('run {1} }');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).problems).toEqual([
      `invalid placeholder "{1}" at offset 4: names must match ${NAME_RULE} (write {{ and }} for literal braces)`,
      'unmatched "}" at offset 8 (write }} for a literal brace)',
    ]);
  });

  it('compiles once and renders many times', () => {
    const compiled = compileTemplate(FIT);
    expect(compiled.placeholders).toEqual(['location', 'year', 'draws']);
    expect(compiled.commandTemplate).toBe(FIT);
    expect(compiled.render({ location: 'FRA', year: 1990, draws: 5 })).toEqual({
      command: 'python fit.py --loc FRA --year 1990 --draws 5',
    });
    expect(compiled.render({ year: 1990 })).toEqual({ missing: ['location', 'draws'] });

    // Reusable: no state leaks from one render into the next.
    let last: unknown;
    for (let i = 0; i < 100_000; i++) last = compiled.render({ location: 'USA', year: i, draws: 100 });
    expect(last).toEqual({ command: 'python fit.py --loc USA --year 99999 --draws 100' });
  });
});

describe('invalidArgValues', () => {
  it('names the values that are not strings, finite numbers or booleans', () => {
    const args = { a: 'x', b: 1, c: true, d: null, e: [1], f: {}, g: NaN, h: Infinity, i: undefined, j: 0 };
    expect(invalidArgValues(args)).toEqual(['d', 'e', 'f', 'g', 'h', 'i']);
    expect(invalidArgValues({})).toEqual([]);
  });
});

describe('nodeArgValues', () => {
  it('returns the text of each node arg only', () => {
    expect(nodeArgValues(['location', 'year'], { location: 'USA', year: 2020, draws: 5 })).toEqual({
      location: 'USA',
      year: '2020',
    });
    expect(nodeArgValues([], { a: 1 })).toEqual({});
  });

  it('throws, listing every missing or invalid node arg', () => {
    let error: unknown;
    try {
      nodeArgValues(['location', 'year', 'sex'], { location: ['USA'], sex: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).problems).toEqual([
      'node argument "location" must be a string, a finite number or a boolean (got an array)',
      'node argument "year" is missing',
    ]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and emits no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('does not depend on insertion order, and sorts integer-like keys as strings', () => {
    expect(canonicalJson({ b: 1, 10: 2, 9: 3 })).toBe('{"10":2,"9":3,"b":1}');
    expect(canonicalJson({ y: [1, 2], x: null })).toBe(canonicalJson({ x: null, y: [1, 2] }));
  });

  it('follows JSON.stringify for scalars and unrepresentable values', () => {
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson([undefined, NaN, Infinity, () => 1])).toBe('[null,null,null,null]');
    expect(canonicalJson({ a: undefined, b: true })).toBe('{"b":true}');
    expect(canonicalJson({ when: new Date('2024-01-02T03:04:05.000Z') })).toBe(
      '{"when":"2024-01-02T03:04:05.000Z"}',
    );
  });

  it('throws for cycles, bigints and a top-level value without JSON form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('canonicalJson: cyclic structure');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    // A shared (not cyclic) object is fine.
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});
