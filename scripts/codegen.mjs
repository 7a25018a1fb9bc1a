/* global process, console, URL */
// `npm run codegen` (after emit-schema): each package's operations (<package>/src/operations/*.graphql) are
// typed from the root schema.graphql into <package>/src/generated/graphql.ts, committed and formatted.
// `--check` (`npm run codegen:check`, part of `npm test`) writes nothing and fails when a committed file
// is not what this would write. GraphQL Code Generator's core and plugins, called directly: its CLI only
// adds loaders for remote schemas, which we do not use (and which require a newer Node than ours).
// It also writes the Python and R clients' modules of the core's data rules (scripts/core-rules.mjs),
// from the core's build: `npm run codegen` builds first, and `npm test` type-checks (builds) first.
import fs from 'node:fs';
import path from 'node:path';
import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse } from 'graphql';
import * as prettier from 'prettier';
import { coreRulesFiles } from './core-rules.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const check = process.argv.includes('--check');

/**
 * The packages that talk to the API with typed operations. Node packages send documents as strings (no
 * graphql-js at run time); Apollo Client (web) takes parsed documents, which it caches and normalises by.
 */
const PACKAGES = { distributor: 'string', 'client-sdk': 'string', web: 'documentNode' };

const schemaText = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
const schemaAst = buildSchema(schemaText);
const schema = parse(schemaText);

let stale = 0;
for (const [name, documentMode] of Object.entries(PACKAGES)) {
  const dir = path.join(root, name, 'src', 'operations');
  const documents = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const location = path.join(dir, file);
      const rawSDL = fs.readFileSync(location, 'utf8');
      return { location, rawSDL, document: parse(rawSDL) };
    });
  const file = path.join(name, 'src', 'generated', 'graphql.ts');
  const generated = await codegen({
    filename: file,
    schema,
    schemaAst,
    documents,
    plugins: [{ 'typescript-operations': {} }, { 'typed-document-node': {} }],
    pluginMap: { 'typescript-operations': typescriptOperations, 'typed-document-node': typedDocumentNode },
    config: {
      documentMode,
      useTypeImports: true,
      enumType: 'const',
      scalars: {
        ID: 'string',
        DateTimeISO: 'string',
        JSON: 'unknown',
        JSONObject: 'Record<string, unknown>',
      },
    },
  });
  const target = path.join(root, file);
  const options = (await prettier.resolveConfig(target)) ?? {};
  const formatted = await prettier.format(generated, { ...options, filepath: target });
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (formatted === committed) continue;
  if (check) {
    console.error(`${file} is stale: run \`npm run codegen\``);
    stale += 1;
  } else {
    fs.writeFileSync(target, formatted);
    console.log(`wrote ${file}`);
  }
}
for (const { file, text } of coreRulesFiles(root)) {
  const target = path.join(root, file);
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (text === committed) continue;
  if (check) {
    console.error(`${file} is stale: run \`npm run codegen\``);
    stale += 1;
  } else {
    fs.writeFileSync(target, text);
    console.log(`wrote ${file}`);
  }
}
if (stale) process.exit(1);
if (check) {
  console.log(
    `generated operations up to date (${Object.keys(PACKAGES).join(', ')}), and the clients' core rules`,
  );
}
