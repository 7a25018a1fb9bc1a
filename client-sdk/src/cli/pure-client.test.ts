import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// The client is a pure client: importing the SDK, or running any `jobmon` command but the two that run
// server code, loads nothing of the server, the ORM or the database drivers. Checked on the built
// package (`npx tsc -b`), in fresh processes, from the modules Node really loaded.

const run = promisify(execFile);
const packageRoot = path.resolve(__dirname, '..', '..');
const repoRoot = path.resolve(packageRoot, '..');
const JOBMON_JS = path.join(packageRoot, 'dist', 'cli', 'jobmon.js');

/** Modules that belong to the server side, by the path they were loaded from. */
const SERVER_SIDE = [
  path.join(repoRoot, 'api') + path.sep,
  path.join(repoRoot, 'distributor') + path.sep,
  ...['sequelize', 'sqlite3', 'mysql2', '@apollo', 'express', 'pino-pretty'].map(
    (name) => `${path.sep}node_modules${path.sep}${name}${path.sep}`,
  ),
];

let dir: string;
let preload: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-pure-client-'));
  // Prints the loaded modules' files when the process ends (commands may end by process.exit).
  preload = path.join(dir, 'loaded-modules.js');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeSync(2, '\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));`,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function loadedModules(args: string[]): Promise<string[]> {
  const { stderr } = await run(process.execPath, ['--require', preload, ...args], { cwd: repoRoot });
  const line = stderr.split('\n').find((text) => text.startsWith('LOADED '));
  if (!line) throw new Error(`no module list in: ${stderr}`);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

const serverSide = (files: string[]) =>
  files.filter((file) => SERVER_SIDE.some((marker) => file.includes(marker)));

describe('the client', () => {
  it('imports without loading the server', async () => {
    const files = await loadedModules(['-e', "require('@jobmon/client-sdk')"]);
    expect(files.some((file) => file.startsWith(path.join(packageRoot, 'dist')))).toBe(true);
    expect(serverSide(files)).toEqual([]);
  });

  it.each([[['--help']], [['server', '--help']], [['token', 'create', '--help']], [['logs', '--help']]])(
    'runs `jobmon %s` without loading the server',
    async (args) => {
      const files = await loadedModules([JOBMON_JS, ...args]);
      expect(serverSide(files)).toEqual([]);
    },
  );

  it('loads the libraries only some commands use (YAML, WebSockets, the progress bar) only when used', async () => {
    const onFirstUse = ['yaml', 'ws', 'graphql-ws', 'graphql', 'cli-progress'].map(
      (name) => `${path.sep}node_modules${path.sep}${name}${path.sep}`,
    );
    const loadedOfThem = (files: string[]) =>
      onFirstUse.filter((marker) => files.some((file) => file.includes(marker)));
    expect(loadedOfThem(await loadedModules(['-e', "require('@jobmon/client-sdk')"]))).toEqual([]);
    expect(loadedOfThem(await loadedModules([JOBMON_JS, '--help']))).toEqual([]);
    // Used, they load: reading template resources from YAML.
    const yamlUsed = await loadedModules([
      '-e',
      "new (require('@jobmon/client-sdk').Tool)('t').setTemplateResourcesFromYaml('task_template_resources: {}')",
    ]);
    expect(loadedOfThem(yamlUsed)).toEqual([onFirstUse[0]]);
  });

  it('says so, exit 69, when a command needs the server package and it is not installed', async () => {
    // The built client alone, with its own dependencies but no @jobmon/api beside it.
    const install = path.join(dir, 'install');
    fs.mkdirSync(path.join(install, 'client'), { recursive: true });
    fs.cpSync(path.join(packageRoot, 'dist'), path.join(install, 'client', 'dist'), { recursive: true });
    fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(install, 'client', 'package.json'));
    const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) {
      const link = path.join(install, 'node_modules', name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules', name)), link);
    }
    const client = path.join(install, 'client', 'dist', 'cli', 'jobmon.js');
    for (const args of [['server'], ['token', 'list', '--database-url', 'sqlite::memory:']]) {
      const failure = await run(process.execPath, [client, ...args], { cwd: install }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(69);
      expect(failure?.stderr).toMatch(/needs the Jobmon server package @jobmon\/api, which is not installed/);
    }
  });
});
