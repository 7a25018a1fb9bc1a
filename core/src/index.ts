// @jobmon/core: what the packages share — vocabularies, pure rules and limits. Pure: no I/O, no server.
export * from './backends';
export * from './errors';
export * from './limits';
export * from './server-command';
export * from './status';
export * from './dag';
export * from './command';
export * from './resources';
export * from './graphql-client';
export * from './report-table';
export * from './format';
