import { spawn } from 'node:child_process';

// Process I/O of the Slurm backend: every call of sbatch, squeue, sacct, scancel, scontrol and sacctmgr
// goes through a `SlurmRunner`, so that the backend can be tested with a fake one.

export type SlurmTool = 'sbatch' | 'squeue' | 'sacct' | 'scancel' | 'scontrol' | 'sacctmgr' | 'sinfo';

export interface SlurmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SlurmRunner {
  /** Runs a Slurm tool; resolves with its exit code and output (rejects only when it cannot start). */
  run(
    tool: SlurmTool,
    args: readonly string[],
    options?: { stdin?: string; env?: NodeJS.ProcessEnv },
  ): Promise<SlurmResult>;
}

export interface ProcessRunnerOptions {
  /** Directory of the Slurm tools (default: found on PATH). */
  binDir?: string;
  /** A call that takes longer is killed and counts as failed (ms, default 60 s). */
  timeoutMs?: number;
}

/** Runs the real tools as child processes. */
export function processRunner(options: ProcessRunnerOptions = {}): SlurmRunner {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    run(tool, args, runOptions = {}) {
      const file = options.binDir ? `${options.binDir.replace(/\/$/, '')}/${tool}` : tool;
      return new Promise((resolve, reject) => {
        const child = spawn(file, [...args], {
          stdio: ['pipe', 'pipe', 'pipe'],
          env: runOptions.env ?? process.env,
          timeout: timeoutMs,
        });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        child.once('error', (error) => reject(new Error(`cannot run ${tool}: ${error.message}`)));
        child.once('close', (code, signal) =>
          resolve({
            code: code ?? (signal ? 128 : 1),
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr:
              Buffer.concat(stderr).toString('utf8') +
              (signal ? `\n${tool} ended by ${signal} (timeout ${timeoutMs} ms?)` : ''),
          }),
        );
        child.stdin.on('error', () => undefined); // a tool that exits without reading stdin
        child.stdin.end(runOptions.stdin ?? '');
      });
    },
  };
}

/** Runs a tool and returns its stdout; throws with the tool's own message when it fails. */
export async function runOrThrow(
  runner: SlurmRunner,
  tool: SlurmTool,
  args: readonly string[],
  options?: { stdin?: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const result = await runner.run(tool, args, options);
  if (result.code !== 0) {
    const message = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
    throw new SlurmCommandError(`${tool} failed: ${message}`, result);
  }
  return result.stdout;
}

export class SlurmCommandError extends Error {
  constructor(
    message: string,
    readonly result: SlurmResult,
  ) {
    super(message);
    this.name = 'SlurmCommandError';
  }
}
