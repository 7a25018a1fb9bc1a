// The conformance cases (core/conformance/*.json) against the core's own rules: the Python and R clients
// run the same files against theirs, so that the three agree on every case.
import fs from 'node:fs';
import path from 'node:path';
import { argText, argValueProblem, compileTemplate, validateTemplate } from './command';
import { findCycle } from './dag';
import { JobmonError } from './errors';
import { graphqlEndpoint } from './graphql-client';
import { nameProblem } from './limits';
import { parseMemory, parseRuntime, validateResources, validateScales } from './resources';

const conformance = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'conformance', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;

/** The outcome of `fn` as the fixtures state it: its value, or the error code it was refused with. */
function outcome<T>(fn: () => T): { value: T } | { error: string } {
  try {
    return { value: fn() };
  } catch (error) {
    if (error instanceof JobmonError) return { error: error.code };
    throw error;
  }
}

interface ResourceCase {
  input: unknown;
  mib?: number;
  seconds?: number;
  error?: string;
}

interface CheckCase {
  input: unknown;
  ok?: true;
  error?: string;
}

const resources = conformance('resources') as {
  memory: ResourceCase[];
  runtime: ResourceCase[];
  cores: CheckCase[];
  scales: CheckCase[];
};

/** A check's problems as the fixtures state them: every refusal is a BAD_USER_INPUT of the submission. */
const checked = (problems: string[]) => (problems.length === 0 ? { ok: true } : { error: 'BAD_USER_INPUT' });
const expectedCheck = (c: CheckCase) => (c.error === undefined ? { ok: true } : { error: c.error });

describe('conformance: resources', () => {
  it.each(resources.memory.map((c) => [JSON.stringify(c.input), c] as const))('memory %s', (_, c) => {
    const expected = c.error === undefined ? { value: c.mib } : { error: c.error };
    expect(outcome(() => parseMemory(c.input as string | number))).toEqual(expected);
  });

  it.each(resources.runtime.map((c) => [JSON.stringify(c.input), c] as const))('runtime %s', (_, c) => {
    const expected = c.error === undefined ? { value: c.seconds } : { error: c.error };
    expect(outcome(() => parseRuntime(c.input as string | number))).toEqual(expected);
  });

  it.each(resources.cores.map((c) => [JSON.stringify(c.input), c] as const))('cores %s', (_, c) => {
    expect(checked(validateResources({ cores: c.input as number }, 'task'))).toEqual(expectedCheck(c));
  });

  it.each(resources.scales.map((c) => [JSON.stringify(c.input), c] as const))('scales %s', (_, c) => {
    expect(checked(validateScales(c.input as object, 'task'))).toEqual(expectedCheck(c));
  });
});

interface PlaceholderCase {
  template: string;
  placeholders?: string[];
  error?: string;
}
interface RenderCase {
  template: string;
  args: Record<string, string>;
  command?: string;
  missing?: string[];
}

interface DeclarationCase {
  template: string;
  nodeArgs?: string[];
  taskArgs?: string[];
  opArgs?: string[];
  groups?: { nodeArgs: string[]; taskArgs: string[]; opArgs: string[] };
  error?: string;
}

const templates = conformance('templates') as {
  placeholders: PlaceholderCase[];
  render: RenderCase[];
  declarations: DeclarationCase[];
  argValues: { value: unknown; text?: string; error?: string }[];
};

describe('conformance: templates', () => {
  it.each(templates.placeholders.map((c) => [JSON.stringify(c.template), c] as const))(
    'placeholders of %s',
    (_, c) => {
      const expected = c.error === undefined ? { value: c.placeholders } : { error: c.error };
      expect(outcome(() => [...compileTemplate(c.template).placeholders])).toEqual(expected);
    },
  );

  it.each(templates.render.map((c) => [JSON.stringify(c.template), c] as const))('renders %s', (_, c) => {
    const expected = c.command === undefined ? { missing: c.missing } : { command: c.command };
    expect(compileTemplate(c.template).render(c.args)).toEqual(expected);
  });

  it.each(templates.declarations.map((c) => [JSON.stringify(c), c] as const))('declares %s', (_, c) => {
    const checked = validateTemplate({ name: 't', commandTemplate: c.template, ...c });
    // Every refusal of a template is a BAD_USER_INPUT problem of the submission (the server's checks).
    const got =
      checked.problems.length > 0
        ? { error: 'BAD_USER_INPUT' }
        : { groups: { nodeArgs: checked.nodeArgs, taskArgs: checked.taskArgs, opArgs: checked.opArgs } };
    expect(got).toEqual(c.error === undefined ? { groups: c.groups } : { error: c.error });
  });

  it.each(templates.argValues.map((c) => [JSON.stringify(c.value), c] as const))('argument %s', (_, c) => {
    const expected = c.error === undefined ? { value: c.text } : { error: c.error };
    expect(outcome(() => argText(c.value, 'a'))).toEqual(expected);
    expect(argValueProblem('a', c.value) === null).toBe(c.error === undefined);
  });
});

interface DagCase {
  name: string;
  tasks: [string, string[]][];
  cycle: string[] | null;
}

const dag = conformance('dag') as { cases: DagCase[] };

describe('conformance: cycles', () => {
  it.each(dag.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const upstream = new Map(c.tasks);
    const cycle = findCycle(
      c.tasks.map(([key]) => key),
      (key) => upstream.get(key) ?? [],
    );
    if (c.cycle === null) {
      expect(cycle).toBeNull();
      return;
    }
    expect(cycle).not.toBeNull();
    const path = cycle!;
    // Closed on its first key, each key upstream of the next, and through exactly the cycle's tasks.
    expect(path[path.length - 1]).toBe(path[0]);
    for (let i = 0; i + 1 < path.length; i++) expect(upstream.get(path[i + 1]!)).toContain(path[i]);
    expect([...new Set(path)].sort()).toEqual([...c.cycle].sort());
    expect(path).toHaveLength(c.cycle.length + 1);
  });
});

const endpoint = conformance('endpoint') as { cases: { serverUrl: string; endpoint: string }[] };

describe('conformance: the GraphQL endpoint', () => {
  it.each(endpoint.cases.map((c) => [c.serverUrl, c.endpoint] as const))('%s', (serverUrl, expected) => {
    expect(graphqlEndpoint(serverUrl)).toBe(expected);
  });
});

const names = conformance('names') as {
  cases: { text: string; repeat?: number; ok?: true; error?: string }[];
};

describe('conformance: names', () => {
  it.each(names.cases.map((c) => [JSON.stringify(c.text), c.repeat ?? 1, c] as const))(
    '%s repeated %d times',
    (_, times, c) => {
      const problem = nameProblem(c.text.repeat(times), 'name');
      // A refused name is a BAD_USER_INPUT problem wherever it is found (the server's submission checks).
      expect(problem === null ? { ok: true } : { error: 'BAD_USER_INPUT' }).toEqual(
        c.error === undefined ? { ok: true } : { error: c.error },
      );
    },
  );
});
