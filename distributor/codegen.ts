// `graphql-codegen --config distributor/codegen.ts` (part of the root `npm run codegen`). The environment
// can point it elsewhere (the staleness test generates into a temporary file, unformatted).
import { codegenConfig } from './src/codegen.config';

export default codegenConfig({
  schema: process.env.JOBMON_CODEGEN_SCHEMA || undefined,
  output: process.env.JOBMON_CODEGEN_OUTPUT || undefined,
  format: process.env.JOBMON_CODEGEN_FORMAT !== '0',
});
