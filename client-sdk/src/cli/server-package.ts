import type { OfflineTokensModule, ServerCommandModule } from '@jobmon/core';
import { CliError, EXIT } from './output';

// The client depends on nothing of the server: the few commands that run server code (`jobmon server`,
// `jobmon token … --database-url`) load the server package (@jobmon/api) only when they run, so every
// other command starts without the API, the ORM or the database drivers.

const SERVER_PACKAGE = '@jobmon/api';

interface ServerModules {
  'server-command': ServerCommandModule;
  'offline-tokens': OfflineTokensModule;
}

/** A module of the server package, or a CliError (exit 69) saying to install it. */
export function loadServerModule<Name extends keyof ServerModules>(
  name: Name,
  command: string,
): ServerModules[Name] {
  const id = `${SERVER_PACKAGE}/${name}`;
  let file: string;
  try {
    // Beside this package (a workspace, or both installed in one project), or in the current project.
    file = require.resolve(id, { paths: [__dirname, process.cwd()] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new CliError(
      `${command} needs the Jobmon server package ${SERVER_PACKAGE}, which is not installed here ` +
        `(npm install ${SERVER_PACKAGE}, or run the command where the server is installed)`,
      EXIT.UNAVAILABLE,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { default: ServerModules[Name] }).default;
}
