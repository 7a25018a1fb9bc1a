import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  Kind,
  parse,
  Source,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

// The Python (client-sdk/python) and R (client-sdk/r) clients keep their operations in .graphql files,
// sent as they are. Each client's files are validated here, as one document, against the root
// schema.graphql: a schema change that breaks either client fails `npm test`.

const repoRoot = path.resolve(__dirname, '..', '..');
const CLIENTS = { python: 'client-sdk/python', r: 'client-sdk/r' } as const;

function graphqlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : graphqlFiles(full);
    return entry.name.endsWith('.graphql') ? [full] : [];
  });
}

/** Every file's definitions in one document; errors name the file (the Source's name) and line. */
function combined(files: { name: string; body: string }[]): DocumentNode {
  const definitions: DefinitionNode[] = files.flatMap(({ name, body }) => [
    ...parse(new Source(body, name)).definitions,
  ]);
  return { kind: Kind.DOCUMENT, definitions };
}

function problems(schema: GraphQLSchema, document: DocumentNode): string[] {
  return validate(schema, document).map((error) => {
    const where = error.source ? `${error.source.name}:${error.locations?.[0]?.line ?? '?'}` : '?';
    return `${where}: ${error.message}`;
  });
}

describe('operations of the Python and R clients', () => {
  const schema = buildSchema(fs.readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8'));

  it.each(Object.entries(CLIENTS))(
    '%s: every .graphql file is valid against schema.graphql',
    (client, dir) => {
      const files = graphqlFiles(path.join(repoRoot, dir)).map((file) => ({
        name: path.relative(repoRoot, file),
        body: fs.readFileSync(file, 'utf8'),
      }));
      // The Python client ships its operations: none found means the search is broken, not that all is well.
      if (client === 'python')
        expect(files.map((f) => f.name)).toContain(
          'client-sdk/python/jobmon/client/graphql/operations.graphql',
        );
      if (files.length === 0) return;
      expect(problems(schema, combined(files))).toEqual([]);
    },
  );

  it('reports an operation that selects a field the schema does not have', () => {
    const bad = combined([
      {
        name: 'bad.graphql',
        body: 'query Bad($id: ID!) {\n  workflow(id: $id) {\n    id\n    noSuchField\n  }\n}\n',
      },
    ]);
    expect(problems(schema, bad)).toEqual([
      'bad.graphql:4: Cannot query field "noSuchField" on type "Workflow".',
    ]);
  });
});
