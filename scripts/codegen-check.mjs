/* global process, console, URL */
// `npm run codegen:check`: fails when a committed <package>/src/generated/graphql.ts is not what
// `npm run codegen` would write from schema.graphql and the package's operations now.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const packages = ['distributor', 'client-sdk', 'web'];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-codegen-'));
let stale = 0;
try {
  execFileSync(bin('graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
    cwd: root,
    env: { ...process.env, JOBMON_CODEGEN_OUTDIR: scratch, JOBMON_CODEGEN_FORMAT: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const name of packages) {
    const file = path.join(name, 'src', 'generated', 'graphql.ts');
    // Formatted as the committed file is (the repository's Prettier configuration for that path).
    const expected = execFileSync(bin('prettier'), ['--stdin-filepath', file], {
      cwd: root,
      input: fs.readFileSync(path.join(scratch, file)),
      encoding: 'utf8',
    });
    const committed = fs.existsSync(path.join(root, file))
      ? fs.readFileSync(path.join(root, file), 'utf8')
      : '';
    if (committed !== expected) {
      console.error(`${file} is stale: run \`npm run codegen\``);
      stale += 1;
    }
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
if (stale) process.exit(1);
console.log(`generated operations up to date (${packages.join(', ')})`);
