import type { Logger } from '../../logger';
import { readSubmittedArrays, removeArrayFiles, writeArrayJobId } from './array-file';

/** Where the journal says an attempt runs: its array element's job and the array file naming it. */
export interface JournalEntry {
  jobId: string;
  arrayFile: string;
}

/**
 * The submission journal of one Slurm backend: it writes the job id file of each accepted array, keeps
 * the array files whose instances the server has not all taken the end of, and deletes them once it
 * has, so that a long-running distributor keeps neither memory nor files per finished array. An adopter
 * reads it back to learn which job runs an instance its server never heard the job id of.
 */
export class SubmissionJournal {
  /** Array file → its instances whose end the server has not taken yet. */
  private readonly keptArrays = new Map<string, Set<string>>();
  /** Instance id → its array file in `keptArrays`. */
  private readonly arrayOfInstance = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  /** sbatch accepted the array: its job id file names the job, and its files are kept until delivered. */
  submitted(arrayFile: string, arrayJobId: string, instanceIds: readonly string[]): void {
    try {
      writeArrayJobId(arrayFile, arrayJobId);
    } catch (error) {
      this.log.warn({ err: (error as Error).message, arrayFile }, 'cannot write the submission journal');
    }
    this.keep(arrayFile, instanceIds);
  }

  /**
   * The journal entries of these attempts found in a state directory (`<log-dir>/slurm`). An entry is an
   * attempt's only when its array file gave the element this attempt's nonce (an array of another
   * attempt with the same instance id names another job). The arrays of the entries found are pruned by
   * this journal from now on, once delivered; arrays with none of them are left alone: they may be
   * another live distributor's.
   */
  adopt(stateDir: string, attempts: readonly { id: string; nonce: string }[]): Map<string, JournalEntry> {
    const found = attempts.length ? readJournal(stateDir) : new Map<string, JournalRecord>();
    const entries = new Map<string, JournalEntry>();
    for (const { id, nonce } of attempts) {
      const entry = found.get(id);
      if (nonce === '' || entry?.nonce !== nonce) continue;
      entries.set(id, { jobId: entry.jobId, arrayFile: entry.arrayFile });
    }
    for (const [id, entry] of entries) this.keep(entry.arrayFile, [id]);
    return entries;
  }

  /**
   * The server has taken the finished reports of these instances: their journal entries are no longer
   * needed (an adopter gets them from the server as finished, not as instances to look for). An array
   * whose instances are all delivered is over: its array file and job id file are deleted.
   */
  delivered(ids: readonly string[]): void {
    for (const id of ids) {
      const arrayFile = this.arrayOfInstance.get(id);
      if (arrayFile === undefined) continue;
      this.arrayOfInstance.delete(id);
      const left = this.keptArrays.get(arrayFile);
      left?.delete(id);
      if (left && left.size > 0) continue;
      this.keptArrays.delete(arrayFile);
      try {
        removeArrayFiles(arrayFile);
      } catch (error) {
        this.log.warn(
          { err: (error as Error).message, arrayFile },
          'cannot delete a finished job array file',
        );
      }
    }
  }

  /** The array files kept now (for tests of the pruning). */
  keptArrayFiles(): string[] {
    return [...this.keptArrays.keys()];
  }

  private keep(arrayFile: string, instanceIds: readonly string[]): void {
    const left = this.keptArrays.get(arrayFile) ?? new Set<string>();
    for (const id of instanceIds) {
      left.add(id);
      this.arrayOfInstance.set(id, arrayFile);
    }
    if (left.size) this.keptArrays.set(arrayFile, left);
  }
}

/** A journal entry with the nonce of the attempt its array file was written for. */
interface JournalRecord extends JournalEntry {
  nonce: string;
}

/** Instance id → its job, array file and nonce, for every array kept in a state directory. */
function readJournal(stateDir: string): Map<string, JournalRecord> {
  const journal = new Map<string, JournalRecord>();
  for (const { arrayFile, arrayJobId, instanceIds, nonces } of readSubmittedArrays(stateDir))
    instanceIds.forEach((id, index) =>
      journal.set(id, { jobId: `${arrayJobId}_${index}`, arrayFile, nonce: nonces[index] ?? '' }),
    );
  return journal;
}
