import fs from 'node:fs';

export default function globalTeardown(): void {
  const dir = process.env.JOBMON_TEST_WEB_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
