import { DEFAULT_INPUT_LIMITS } from '../domain';
import { bipartite, submission } from '../testing/fixtures';
import { prepareSubmission } from './submission.prepare';
import { SLICE_UNITS, WorkSlicer } from './work-slicer';

// Validating a big DAG gives the event loop turns: work queued meanwhile (another request's callbacks)
// runs before the validation ends, ordered by events, not by time.

/** Counts the event-loop turns other work gets while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe('work slicing of a big submission', () => {
  it('lets other work run while a 300 × 300-edge DAG is validated', async () => {
    const slicer = new WorkSlicer();
    const { result, turns } = await turnsDuring(() =>
      prepareSubmission(submission(bipartite(300)), 100_000, DEFAULT_INPUT_LIMITS, slicer),
    );
    expect(result.edgeCount).toBe(300 * 300);
    // Four passes over 90,000 upstream keys: at least one turn per slice of each.
    expect(slicer.turns).toBeGreaterThanOrEqual(Math.floor((4 * 300 * 300) / SLICE_UNITS) - 1);
    expect(turns).toBeGreaterThanOrEqual(slicer.turns);
  });

  it('still refuses an invalid DAG, after its turns', async () => {
    const input = submission(bipartite(300));
    input.tasks[400]!.upstream = ['nope'];
    await expect(prepareSubmission(input, 100_000)).rejects.toThrow(/unknown upstream key "nope"/);
  });
});
