import fs from 'node:fs';
import path from 'node:path';
import { printSchemaSdl } from '../graphql/schema';

// `npm run codegen`: writes the schema emitted from the type-graphql classes to /schema.graphql.
const target = path.resolve(__dirname, '..', '..', '..', 'schema.graphql');
fs.writeFileSync(target, printSchemaSdl());
console.log(`wrote ${target}`);
