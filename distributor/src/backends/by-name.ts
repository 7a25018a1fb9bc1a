import { BACKEND_NAMES, type BackendName } from '@jobmon/core';
import type { Backend } from '../backend';
import { DummyBackend } from './dummy';
import { LocalBackend } from './local';

// The backends a distributor makes from a name alone (Slurm needs to ask the cluster first: see
// createSlurmBackend).

export { BACKEND_NAMES, type BackendName };

export function createBackend(
  name: BackendName,
  options: { slots?: number; prefetch?: number; logDir?: string; queue?: string; hostname?: string } = {},
): Backend {
  switch (name) {
    case 'local':
    case 'sequential':
      return new LocalBackend({
        kind: name,
        slots: options.slots,
        prefetch: options.prefetch,
        logDir: options.logDir,
        queueName: options.queue,
        hostname: options.hostname,
      });
    case 'dummy':
      return new DummyBackend({ slots: options.slots, queueName: options.queue, hostname: options.hostname });
    default:
      throw new Error(`unknown backend "${String(name)}" (one of ${BACKEND_NAMES.join(', ')})`);
  }
}
