// @jobmon/client-sdk: the typed SDK (issue E) and the `jobmon` command line.
export { runServer, type RunningServer, type ServerCommandOptions } from './server-command';
export * from './sdk';
