import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { printSchemaSdl } from './schema';

// /schema.graphql is committed so that clients (SDK, web, Python, R) and reviewers see the contract;
// it must be exactly what the type-graphql classes produce.

const SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'schema.graphql');

function firstDifference(committed: string, current: string): string {
  const a = committed.split('\n');
  const b = current.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i])
      return `line ${i + 1}: committed ${JSON.stringify(a[i] ?? '<end of file>')}, schema ${JSON.stringify(b[i] ?? '<end of file>')}`;
  return 'no difference';
}

describe('schema.graphql', () => {
  it('is up to date with the type-graphql classes', () => {
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    const current = printSchemaSdl();
    if (committed !== current)
      throw new Error(
        `${SCHEMA_FILE} is out of date (${firstDifference(committed, current)}). Run \`npm run codegen\` and commit the result.`,
      );
    expect(committed).toBe(current);
  });

  it('is valid SDL that names the contract clients are generated from', () => {
    const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    const query = schema.getQueryType()!.getFields();
    for (const field of ['workflows', 'workflow', 'task', 'taskInstance', 'tools', 'auditEvents'])
      expect(query).toHaveProperty(field);
    expect(schema.getMutationType()!.getFields()).toHaveProperty('submitWorkflow');
    const input = schema.getTypeMap().WorkflowSubmission as unknown as {
      getFields(): Record<string, unknown>;
    };
    expect(Object.keys(input.getFields()).sort()).toEqual(
      [
        'tool',
        'workflowArgs',
        'name',
        'description',
        'maxConcurrentlyRunning',
        'maxAttempts',
        'failFast',
        'defaultResources',
        'attributes',
        'taskTemplates',
        'tasks',
        // An extension: the submitting client's own user (recorded in open mode).
        'user',
      ].sort(),
    );
  });
});
