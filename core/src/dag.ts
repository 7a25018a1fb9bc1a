/**
 * Cycle detection for task DAGs. Everything is iterative (a DAG may be a million-task chain, far deeper
 * than the call stack) and O(V+E).
 *
 * A cycle is returned as a path in run order, closed on its first node: in ['a', 'b', 'c', 'a'] each key
 * is upstream of the next one (a runs before b, b before c, c before a).
 */

/**
 * Finds one cycle among `keys`, where `upstreamOf(key)` lists the keys that must run before `key`.
 * `upstreamOf` is called once per distinct key. Upstream keys that are not in `keys` are ignored: their
 * own upstreams are unknown, so no cycle can be closed through them (reporting unknown keys is the
 * caller's validation).
 */
export function findCycle(
  keys: readonly string[],
  upstreamOf: (key: string) => readonly string[],
): string[] | null {
  const indexOf = new Map<string, number>();
  const names: string[] = [];
  for (const key of keys) {
    if (!indexOf.has(key)) {
      indexOf.set(key, names.length);
      names.push(key);
    }
  }

  const ups: number[] = [];
  const downs: number[] = [];
  for (let down = 0; down < names.length; down++) {
    for (const upKey of upstreamOf(names[down]!)) {
      const up = indexOf.get(upKey);
      if (up !== undefined) {
        ups.push(up);
        downs.push(down);
      }
    }
  }

  // One algorithm for both entry points, so the key version is exactly as scalable as the id version.
  const cycle = findCycleInIdEdges(names.length, Int32Array.from(ups), Int32Array.from(downs));
  return cycle === null ? null : cycle.map((i) => names[i]!);
}

/**
 * Finds one cycle in a graph of dense node indexes 0..nodeCount-1 whose edge i runs from `upstream[i]` to
 * `downstream[i]`. Kahn's algorithm over a CSR adjacency: memory is a handful of Int32Arrays (about
 * 4 * (3n + e) bytes), no per-node objects. Returns the indexes of one cycle path (see the module comment)
 * or null when the graph is acyclic.
 */
export function findCycleInIdEdges(
  nodeCount: number,
  upstream: Int32Array,
  downstream: Int32Array,
): number[] | null {
  if (!Number.isSafeInteger(nodeCount) || nodeCount < 0) {
    throw new RangeError(`nodeCount must be a non-negative integer (got ${nodeCount})`);
  }
  if (upstream.length !== downstream.length) {
    throw new RangeError(
      `upstream and downstream must have the same length (got ${upstream.length} and ${downstream.length})`,
    );
  }
  const n = nodeCount;
  const e = upstream.length;

  // CSR: the downstream neighbours of node v are targets[offsets[v] .. offsets[v+1]).
  const offsets = new Int32Array(n + 1);
  const indegree = new Int32Array(n);
  for (let i = 0; i < e; i++) {
    const up = upstream[i]!;
    const down = downstream[i]!;
    if (up < 0 || up >= n || down < 0 || down >= n) {
      throw new RangeError(`edge ${i} (${up} -> ${down}) refers to a node outside 0..${n - 1}`);
    }
    offsets[up + 1]!++;
    indegree[down]!++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const targets = new Int32Array(e);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < e; i++) targets[fill[upstream[i]!]!++] = downstream[i]!;

  // Kahn: repeatedly remove nodes with no remaining upstream. The queue never holds a node twice,
  // so an n-slot array with head/tail cursors suffices.
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue[tail++] = v;
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const w = targets[k]!;
      if (--indegree[w]! === 0) queue[tail++] = w;
    }
  }
  if (tail === n) return null;

  // Every node left has indegree > 0, and that count only covers edges from other nodes left (removed
  // nodes decremented theirs). So each one has a remaining upstream: following one such upstream per node
  // must eventually revisit a node, and the revisited node is on a cycle.
  const pred = new Int32Array(n).fill(-1);
  for (let i = 0; i < e; i++) {
    const up = upstream[i]!;
    const down = downstream[i]!;
    if (indegree[up]! > 0 && indegree[down]! > 0 && pred[down] === -1) pred[down] = up;
  }
  let start = 0;
  while (indegree[start] === 0) start++;
  const seen = new Uint8Array(n);
  let v = start;
  while (seen[v] === 0) {
    seen[v] = 1;
    v = pred[v]!;
  }

  // Walking pred goes against the edges; reverse it to get run order, then close the loop.
  const backwards = [v];
  for (let w = pred[v]!; w !== v; w = pred[w]!) backwards.push(w);
  const cycle = backwards.reverse();
  cycle.push(cycle[0]!);
  return cycle;
}
