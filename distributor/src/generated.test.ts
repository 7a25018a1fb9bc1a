import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATED_FILE, REPO_ROOT } from './codegen.config';

// The typed operations are generated from the root schema.graphql and committed: this fails when
// src/generated/graphql.ts is not what `npm run codegen` would write now. GraphQL Code Generator and
// Prettier load ES modules that Jest's CommonJS runtime cannot, so both run as commands here, as they do
// in `npm run codegen`.

jest.setTimeout(120_000);

const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);

it('src/generated/graphql.ts is up to date with schema.graphql and src/operations (else: npm run codegen)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-codegen-'));
  try {
    const output = path.join(dir, 'graphql.ts');
    execFileSync(
      process.execPath,
      [bin('graphql-codegen'), '--config', 'distributor/codegen.ts', '--silent'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, JOBMON_CODEGEN_OUTPUT: output, JOBMON_CODEGEN_FORMAT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Formatted as the committed file is (the repository's Prettier configuration for that path).
    const expected = execFileSync(process.execPath, [bin('prettier'), '--stdin-filepath', GENERATED_FILE], {
      cwd: REPO_ROOT,
      input: fs.readFileSync(output),
      encoding: 'utf8',
    });
    const committed = fs.readFileSync(GENERATED_FILE, 'utf8');
    if (committed !== expected)
      throw new Error(`${path.relative(REPO_ROOT, GENERATED_FILE)} is stale: run \`npm run codegen\``);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
