// @jobmon/client-sdk: the typed SDK (issue E) and the `jobmon` command line.
export * from './sdk';
