import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// What a server on the embedded SQLite default loads: none of the MySQL driver or the Redis client, which
// only a server given such URLs needs (each one ~100 ms of every start). A fresh process, from the built
// package (`npx tsc -b`), with the modules Node really loaded.

const apiDist = path.resolve(__dirname, '..', 'dist', 'index.js');

it('a server on SQLite without Redis loads neither mysql2 nor ioredis', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-startup-'));
  try {
    const script = `
      const api = require(${JSON.stringify(apiDist)});
      const config = api.loadConfig({ JOBMON_DATABASE_URL: ${JSON.stringify(`sqlite:${path.join(dir, 'db.sqlite')}`)}, PORT: '0', JOBMON_AUTH: 'off' });
      api.startServer({ ...config, port: 0 }).then(async (server) => {
        const loaded = Object.keys(require.cache);
        await server.stop();
        const of = (name) => loaded.some((file) => file.includes('/node_modules/' + name + '/'));
        process.stderr.write('LOADED ' + JSON.stringify({ mysql2: of('mysql2'), ioredis: of('ioredis'), sequelize: of('sequelize') }) + '\\n');
        process.exit(0);
      }, (error) => { console.error(error); process.exit(1); });`;
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, JOBMON_LOG_LEVEL: 'silent', JOBMON_REDIS_URL: '' },
      timeout: 60_000,
    });
    const line = result.stderr.split('\n').find((text) => text.startsWith('LOADED '));
    if (!line) throw new Error(`no module list (exit ${result.status}): ${result.stderr}`);
    expect(JSON.parse(line.slice('LOADED '.length))).toEqual({
      mysql2: false,
      ioredis: false,
      sequelize: true,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
