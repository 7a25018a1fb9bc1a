// Pure layout of the Gantt chart: attempts packed into lanes, and the colours of outcomes.

/**
 * Packs intervals into lanes (first fit by start time, a min-heap of lane ends): no two intervals of a
 * lane overlap. Returns each interval's lane (same order as given) and the number of lanes. An interval
 * without a start gets lane -1 (not drawn); without an end it runs to `openEnd`.
 */
export function packLanes(
  starts: readonly (number | null)[],
  ends: readonly (number | null)[],
  openEnd: number,
): { lane: Int32Array; lanes: number } {
  const n = starts.length;
  const lane = new Int32Array(n).fill(-1);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (starts[i] !== null) order.push(i);
  order.sort((a, b) => starts[a]! - starts[b]!);
  // heap of [end, lane] by end
  const heapEnd: number[] = [];
  const heapLane: number[] = [];
  const swap = (a: number, b: number) => {
    [heapEnd[a], heapEnd[b]] = [heapEnd[b]!, heapEnd[a]!];
    [heapLane[a], heapLane[b]] = [heapLane[b]!, heapLane[a]!];
  };
  const push = (end: number, l: number) => {
    heapEnd.push(end);
    heapLane.push(l);
    let i = heapEnd.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapEnd[parent]! <= heapEnd[i]!) break;
      swap(i, parent);
      i = parent;
    }
  };
  const pop = () => {
    const last = heapEnd.length - 1;
    swap(0, last);
    heapEnd.pop();
    const l = heapLane.pop()!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heapEnd.length && heapEnd[left]! < heapEnd[smallest]!) smallest = left;
      if (right < heapEnd.length && heapEnd[right]! < heapEnd[smallest]!) smallest = right;
      if (smallest === i) break;
      swap(i, smallest);
      i = smallest;
    }
    return l;
  };
  let lanes = 0;
  for (const i of order) {
    const start = starts[i]!;
    const end = ends[i] ?? openEnd;
    const l = heapEnd.length && heapEnd[0]! <= start ? pop() : lanes++;
    lane[i] = l;
    push(Math.max(end, start), l);
  }
  return { lane, lanes };
}

/** Fill colour of an attempt by its status (outcome). */
export const STATUS_COLOURS: Readonly<Record<string, string>> = {
  DONE: '#2e7d32',
  ERROR: '#c62828',
  RESOURCE_ERROR: '#ef6c00',
  UNKNOWN_ERROR: '#8e24aa',
  ERROR_FATAL: '#6d1b1b',
  RUNNING: '#1565c0',
  TRIAGING: '#f9a825',
  KILL_SELF: '#5d4037',
};
export const OTHER_COLOUR = '#9e9e9e';
