import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

// GraphQL Code Generator (`npm run codegen`): each package's operations (<package>/src/operations/*.graphql)
// are typed from the root schema.graphql into <package>/src/generated/graphql.ts, committed.
// `npm run codegen:check` (part of `npm test`) generates them again into a scratch directory
// (JOBMON_CODEGEN_OUTDIR, unformatted: JOBMON_CODEGEN_FORMAT=0) and fails when a committed file is stale.

/** The packages that talk to the API with typed operations. */
export const CODEGEN_PACKAGES = ['distributor', 'client-sdk', 'web'] as const;

/**
 * Node packages send documents as strings (no graphql-js at run time); Apollo Client (web) takes parsed
 * documents, which it caches and normalises by.
 */
const DOCUMENT_MODE: Record<(typeof CODEGEN_PACKAGES)[number], 'string' | 'documentNode'> = {
  distributor: 'string',
  'client-sdk': 'string',
  web: 'documentNode',
};

const outDir = process.env.JOBMON_CODEGEN_OUTDIR || '.';

const config: CodegenConfig = {
  overwrite: true,
  schema: 'schema.graphql',
  generates: Object.fromEntries(
    CODEGEN_PACKAGES.map((name) => [
      path.join(outDir, name, 'src', 'generated', 'graphql.ts'),
      {
        documents: [`${name}/src/operations/*.graphql`],
        plugins: ['typescript-operations', 'typed-document-node'],
        config: {
          documentMode: DOCUMENT_MODE[name],
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
    ]),
  ),
  hooks: process.env.JOBMON_CODEGEN_FORMAT === '0' ? {} : { afterOneFileWrite: ['prettier --write'] },
};

export default config;
