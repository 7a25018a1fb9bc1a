import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

// GraphQL Code Generator: the distributor's operations (src/operations/*.graphql), typed from the root
// schema.graphql into src/generated/graphql.ts (committed). `npm run codegen` regenerates it; the test
// generated.test.ts fails when it is stale.

/** The repository root (this file is in distributor/src or distributor/dist). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SCHEMA_FILE = path.join(REPO_ROOT, 'schema.graphql');
export const DOCUMENTS = path.join(REPO_ROOT, 'distributor', 'src', 'operations', '*.graphql');
export const GENERATED_FILE = path.join(REPO_ROOT, 'distributor', 'src', 'generated', 'graphql.ts');

export function codegenConfig(
  options: { schema?: string; output?: string; format?: boolean } = {},
): CodegenConfig {
  return {
    overwrite: true,
    schema: options.schema ?? SCHEMA_FILE,
    documents: [DOCUMENTS],
    generates: {
      [options.output ?? GENERATED_FILE]: {
        plugins: ['typescript-operations', 'typed-document-node'],
        config: {
          // Documents as strings (a String subclass carrying the types): no graphql-js at run time.
          documentMode: 'string',
          useTypeImports: true,
          enumType: 'const',
          scalars: {
            ID: 'string',
            DateTimeISO: 'string',
            JSON: 'unknown',
            JSONObject: 'Record<string, unknown>',
          },
        },
      },
    },
    hooks: options.format === false ? {} : { afterOneFileWrite: ['prettier --write'] },
  };
}
