#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { SERVER_BACKEND_NAMES, type ServerBackendName } from '@jobmon/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { distributorCommand, userCommand } from './admin';
import { concurrencyCommand } from './concurrency';
import { configCommand } from './config';
import { errorsCommand } from './errors';
import { logsCommand } from './logs';
import { addConnectionOptions, CliError, EXIT, reportError } from './output';
import { reportCommand } from './report';
import { resourcesCommand } from './resources';
import { resumeCommand } from './resume';
import { loadServerModule } from './server-package';
import { setResourcesCommand } from './set-resources';
import { setStatusCommand } from './set-status';
import { statusCommand } from './status';
import { stopCommand } from './stop';
import { submitCommand } from './submit';
import { taskCommand } from './task';
import { tasksCommand } from './tasks';
import { tokenCommand } from './token';
import { whyCommand } from './why';
import { workflowCommand } from './workflow';

const integer = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a non-negative integer');
  return parsed;
};

// `jobmon tasks 7 | head -1`: once the reader is gone there is no one to tell anything; end quietly
// (as Unix tools do on SIGPIPE) instead of an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

const program = new Command('jobmon')
  .description('Jobmon: run workflows of dependent tasks, and follow them')
  .version(readVersion(), '-V, --version', 'print the version of jobmon')
  .addHelpText(
    'after',
    `
Exit codes: 0 ok (with --wait: the workflow ended DONE), 1 the workflow ended FAILED or HALTED,
2 usage error, 3 server unreachable, 4 not found, 5 refused by the server, 70 internal error,
130 interrupted (see docs/cli.md).
Server: --server URL or JOBMON_SERVER_URL (default http://localhost:4000); token: JOBMON_TOKEN.`,
  )
  // Usage errors exit 2 (commander's own default is 1, which scripts must be able to read as "not DONE").
  .exitOverride(usageExit);
// The connection options may also come before the command: `jobmon --server URL status`.
addConnectionOptions(program);

/** The client package's version (package.json sits beside dist/ and src/ alike). */
function readVersion(): string {
  const file = path.resolve(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function usageExit(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : EXIT.USAGE); // 0: --help, --version
}

program
  .command('server')
  .description(
    'Start the API, the scheduler and a distributor (local, or --backend slurm) in one process (the single-user start)',
  )
  .option('--port <port>', 'HTTP port (default env PORT or 4000)', integer)
  .option('--database-url <url>', 'sqlite:<file> or mysql://… (default env JOBMON_DATABASE_URL or ./.jobmon)')
  .addOption(
    new Option('--backend <backend>', 'backend of the embedded distributor (slurm: see docs/slurm.md)')
      .choices(SERVER_BACKEND_NAMES)
      .default('local'),
  )
  .option('--no-distributor', 'run no distributor here (a separate jobmon-distributor does the work)')
  .option(
    '--auth',
    'require bearer tokens (default env JOBMON_AUTH, else off: open mode, for one person on this machine)',
  )
  .option(
    '--owner <user>',
    "with tokens: whose work the embedded distributor runs (default: this operating-system user); other users' tasks wait for a distributor of theirs",
  )
  .option(
    '--slots <n>',
    'commands at once (default: the cores of this machine; slurm: jobs in Slurm at once, default 2000)',
    integer,
  )
  .option(
    '--log-dir <dir>',
    "where commands' stdout/stderr files go (default ./.jobmon/logs; slurm: the jobs must see it)",
  )
  .option('--partitions <names>', 'slurm: the partitions served, comma-separated (default all)', (value) =>
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  )
  .action(
    async (options: {
      port?: number;
      databaseUrl?: string;
      backend: ServerBackendName;
      distributor: boolean;
      slots?: number;
      logDir?: string;
      partitions?: string[];
      auth?: boolean;
      owner?: string;
    }) => {
      const { runServer } = loadServerModule('server-command', 'jobmon server');
      const running = await runServer({
        port: options.port,
        databaseUrl: options.databaseUrl,
        backend: options.distributor ? options.backend : false,
        slots: options.slots,
        logDir: options.logDir,
        partitions: options.partitions,
        ...(options.auth ? { auth: true } : {}),
        ...(options.owner ? { owner: options.owner } : {}),
      });
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`jobmon server: ${signal}, stopping\n`);
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`jobmon server: shutdown failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
  );

for (const command of [
  submitCommand,
  statusCommand,
  tasksCommand,
  taskCommand,
  logsCommand,
  resumeCommand,
  stopCommand,
  concurrencyCommand,
  setStatusCommand,
  setResourcesCommand,
  whyCommand,
  errorsCommand,
  reportCommand,
  resourcesCommand,
  configCommand,
])
  program.addCommand(command.exitOverride(usageExit));
for (const group of [tokenCommand, userCommand, distributorCommand, workflowCommand]) {
  program.addCommand(group.exitOverride(usageExit));
  for (const command of group.commands) command.exitOverride(usageExit);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  // An error the CLI describes itself (e.g. the server package is not installed), with its exit code.
  if (error instanceof CliError) process.exit(reportError(error, false));
  process.stderr.write(`jobmon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
