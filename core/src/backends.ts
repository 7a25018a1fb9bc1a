// The names of the distributor's backends, known to the command lines that offer them as choices.

/** The backends built into the distributor. */
export type BackendName = 'local' | 'sequential' | 'dummy';
export const BACKEND_NAMES: readonly BackendName[] = ['local', 'sequential', 'dummy'];

/** The backends a distributor (standalone, or embedded in `jobmon server`) can run: the built-in ones, and Slurm. */
export type ServerBackendName = BackendName | 'slurm';
export const SERVER_BACKEND_NAMES: readonly ServerBackendName[] = [...BACKEND_NAMES, 'slurm'];
