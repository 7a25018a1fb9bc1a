/* eslint-disable @typescript-eslint/no-require-imports */
// Libraries that most uses of the SDK and most `jobmon` commands never need, required when first used
// rather than when the SDK loads: together they were ~85 ms of every command's start here (yaml 45 ms,
// ws 28 ms, cli-progress 13 ms; graphql-ws a few more), a third of `jobmon --help`.

/** YAML: template resources files (`setTemplateResourcesFromYaml`), `jobmon resources --yaml`. */
export const yaml = (): typeof import('yaml') => require('yaml');
/** The progress bar of `--wait` on a terminal. */
export const cliProgress = (): typeof import('cli-progress') => require('cli-progress');
/** WebSocket and the graphql-ws client: following a workflow live. */
export const webSocket = (): typeof import('ws') => require('ws');
export const graphqlWs = (): typeof import('graphql-ws') => require('graphql-ws');
