import os from 'node:os';
import type { QueueInput } from '../../generated/graphql';
import { runOrThrow, type SlurmRunner } from './commands';
import {
  maxArraySizeOf,
  parseConfig,
  parseNodes,
  parsePartitions,
  parseSubmitLimit,
  queuesFromPartitions,
  type SlurmPartition,
} from './parse';

/** What a Slurm backend serves, as Slurm describes it. */
export interface Discovery {
  partitions: SlurmPartition[];
  queues: QueueInput[];
  maxArraySize: number;
  submitLimit: number | null;
}

/** Asks Slurm for its partitions, nodes and limits (scontrol, sacctmgr). */
export async function discoverSlurm(
  runner: SlurmRunner,
  only?: readonly string[],
  user = os.userInfo().username,
): Promise<Discovery> {
  const [partitionText, nodeText, configText] = await Promise.all([
    runOrThrow(runner, 'scontrol', ['show', 'partition', '--oneliner']),
    runOrThrow(runner, 'scontrol', ['show', 'node', '--oneliner']),
    runOrThrow(runner, 'scontrol', ['show', 'config']),
  ]);
  const partitions = parsePartitions(partitionText);
  if (partitions.length === 0) throw new Error('Slurm has no partitions (scontrol show partition)');
  const queues = queuesFromPartitions(partitions, parseNodes(nodeText), only);
  // Submit limits live in the accounting database; without one there are none to know.
  const limits = await Promise.all([
    runner.run('sacctmgr', ['-nP', 'show', 'assoc', `where`, `user=${user}`, 'format=MaxSubmit']),
    runner.run('sacctmgr', ['-nP', 'show', 'qos', 'format=MaxSubmitPU']),
  ]).catch(() => []);
  const submitLimit = parseSubmitLimit(...limits.filter((r) => r.code === 0).map((r) => r.stdout));
  return { partitions, queues, maxArraySize: maxArraySizeOf(parseConfig(configText)), submitLimit };
}
