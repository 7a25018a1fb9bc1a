import { DEFAULT_INPUT_LIMITS } from '../domain';
import { prepareSubmission } from './submission.prepare';
import type { WorkflowSubmission } from './submission.types';
import { SLICE_UNITS, WorkSlicer } from './work-slicer';

// Validating a big DAG gives the event loop turns: work queued meanwhile (another request's callbacks)
// runs before the validation ends, ordered by events, not by time.

/** `side` tasks `u*`, and `side` tasks `d*` each downstream of every `u*`: side² edges. */
function bipartite(side: number): WorkflowSubmission {
  const up = Array.from({ length: side }, (_, i) => ({ key: `u${i}`, template: 's', args: { i } }));
  const down = Array.from({ length: side }, (_, i) => ({
    key: `d${i}`,
    template: 's',
    args: { i: side + i },
    upstream: up.map((task) => task.key),
  }));
  return {
    tool: 'slices',
    workflowArgs: 'bipartite',
    taskTemplates: [{ name: 's', commandTemplate: 'true {i}', nodeArgs: ['i'] }],
    tasks: [...up, ...down],
  };
}

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
      prepareSubmission(bipartite(300), 100_000, DEFAULT_INPUT_LIMITS, slicer),
    );
    expect(result.edgeCount).toBe(300 * 300);
    // Four passes over 90,000 upstream keys: at least one turn per slice of each.
    expect(slicer.turns).toBeGreaterThanOrEqual(Math.floor((4 * 300 * 300) / SLICE_UNITS) - 1);
    expect(turns).toBeGreaterThanOrEqual(slicer.turns);
  });

  it('still refuses an invalid DAG, after its turns', async () => {
    const submission = bipartite(300);
    submission.tasks[400]!.upstream = ['nope'];
    await expect(prepareSubmission(submission, 100_000)).rejects.toThrow(/unknown upstream key "nope"/);
  });
});
