import os from 'node:os';
import type { TaskInstanceFinishedInput } from './generated/graphql';

// Outcome rules (`classify`):
// - exit 0: DONE; non-zero exit: ERROR with the exit code;
// - killed here because the tree's RSS went over `memoryMb`: RESOURCE_ERROR, errorKind OUT_OF_MEMORY;
// - killed here at `runtimeSeconds`: RESOURCE_ERROR, errorKind TIMEOUT;
// - killed here on request (KILL_SELF): KILLED; killed because the distributor stops: UNKNOWN_ERROR;
// - exit 137 (128 + SIGKILL), or the wrapper itself killed by SIGKILL, not by us: taken as the kernel's
//   out-of-memory killer (nothing else sends SIGKILL on its own): RESOURCE_ERROR, errorKind OUT_OF_MEMORY;
// - another signal (exit 128 + N): ERROR, with the signal's name in the message;
// - the exit status cannot be known (an adopted process left no exit file): UNKNOWN_ERROR.

/** Why a supervisor kills a command: on request (KILL_SELF), at a limit, or because its distributor stops. */
export type KillReason = 'KILLED' | 'TIMEOUT' | 'OUT_OF_MEMORY' | 'SHUTDOWN';

export interface Classification {
  outcome: TaskInstanceFinishedInput['outcome'];
  exitCode: number | null;
  errorKind: string | null;
  errorMessage: string | null;
}

function signalName(code: number): string | undefined {
  const number = code - 128;
  return Object.entries(os.constants.signals).find(([, value]) => value === number)?.[0];
}

/** The outcome rules (see the top of this file). */
export function classify(input: {
  killReason?: KillReason;
  exitCode: number | null;
  signal?: NodeJS.Signals | null;
  memoryMb?: number | null;
  runtimeSeconds?: number | null;
  maxRssMb?: number | null;
  stderrTail?: string;
}): Classification {
  const exitCode = input.exitCode ?? (input.signal ? 128 + (os.constants.signals[input.signal] ?? 0) : null);
  const lastLine = (input.stderrTail ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .pop();
  const detail = lastLine ? `: ${lastLine.slice(0, 500)}` : '';
  switch (input.killReason) {
    case 'OUT_OF_MEMORY':
      return {
        outcome: 'RESOURCE_ERROR',
        exitCode,
        errorKind: 'OUT_OF_MEMORY',
        errorMessage: `killed: its processes used ${input.maxRssMb ?? '?'} MiB, over the limit of ${input.memoryMb} MiB`,
      };
    case 'TIMEOUT':
      return {
        outcome: 'RESOURCE_ERROR',
        exitCode,
        errorKind: 'TIMEOUT',
        errorMessage: `killed: it ran longer than its runtime limit of ${input.runtimeSeconds} s`,
      };
    case 'KILLED':
      return { outcome: 'KILLED', exitCode, errorKind: null, errorMessage: 'killed on request' };
    case 'SHUTDOWN':
      return {
        outcome: 'UNKNOWN_ERROR',
        exitCode,
        errorKind: 'DISTRIBUTOR_STOPPED',
        errorMessage: 'killed because its distributor stopped',
      };
  }
  if (exitCode === null)
    return {
      outcome: 'UNKNOWN_ERROR',
      exitCode: null,
      errorKind: 'EXIT_STATUS_UNKNOWN',
      errorMessage: 'the process ended unobserved and left no exit status',
    };
  if (exitCode === 0) return { outcome: 'DONE', exitCode: 0, errorKind: null, errorMessage: null };
  if (exitCode === 137 || input.signal === 'SIGKILL')
    return {
      outcome: 'RESOURCE_ERROR',
      exitCode,
      errorKind: 'OUT_OF_MEMORY',
      errorMessage: `killed by SIGKILL (exit ${exitCode}), taken as the out-of-memory killer${detail}`,
    };
  const name = exitCode > 128 ? signalName(exitCode) : undefined;
  return {
    outcome: 'ERROR',
    exitCode,
    errorKind: null,
    errorMessage: `exit code ${exitCode}${name ? ` (${name})` : ''}${detail}`,
  };
}
