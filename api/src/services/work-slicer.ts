import { setImmediate as nextTurn } from 'node:timers/promises';

// Validating and binding a big DAG is long synchronous work (a 1,000 × 1,000-edge submission took over a
// second of it): done in one go, it froze every other request meanwhile. Loops over tasks and edges count
// their work here and give the event loop a turn every slice, so other requests are answered in between.

/** Units of work (a task, an upstream key) between two turns: a few milliseconds of work. */
export const SLICE_UNITS = 20_000;

export class WorkSlicer {
  private units = 0;
  /** Turns given so far. */
  turns = 0;

  constructor(private readonly slice = SLICE_UNITS) {}

  /** Counts `units` of work done; true once a slice is full: then `await turn()`. */
  due(units = 1): boolean {
    this.units += units;
    return this.units >= this.slice;
  }

  /** Lets pending I/O (other requests) run before the work goes on. */
  async turn(): Promise<void> {
    this.units = 0;
    this.turns += 1;
    await nextTurn();
  }
}
