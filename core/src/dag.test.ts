import { findCycle, findCycleInIdEdges } from './index';

// Expected cycles are worked out by hand from the graphs below (not taken from a run of the code).

/** Builds an upstreamOf function from a literal adjacency map. */
const upstreams =
  (graph: Record<string, string[]>) =>
  (key: string): string[] =>
    graph[key] ?? [];

describe('findCycle', () => {
  it('returns null for an empty graph and for a single node', () => {
    expect(findCycle([], upstreams({}))).toBeNull();
    expect(findCycle(['a'], upstreams({}))).toBeNull();
  });

  it('finds a self edge', () => {
    expect(findCycle(['a'], upstreams({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('finds a 2-cycle, in run order (each key upstream of the next)', () => {
    expect(findCycle(['a', 'b'], upstreams({ a: ['b'], b: ['a'] }))).toEqual(['b', 'a', 'b']);
  });

  it('finds a long cycle and leaves out the nodes that lead into or out of it', () => {
    // x -> a -> b -> c -> d -> a, and d -> e.
    const graph = { x: [], a: ['d', 'x'], b: ['a'], c: ['b'], d: ['c'], e: ['d'] };
    expect(findCycle(['x', 'a', 'b', 'c', 'd', 'e'], upstreams(graph))).toEqual(['b', 'c', 'd', 'a', 'b']);
  });

  it('returns null for a diamond', () => {
    const graph = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] };
    expect(findCycle(['a', 'b', 'c', 'd'], upstreams(graph))).toBeNull();
  });

  it('handles disconnected components', () => {
    // p -> q and an isolated z are fine; r <-> s is a cycle.
    const graph = { p: [], q: ['p'], z: [], r: ['s'], s: ['r'] };
    expect(findCycle(['p', 'q', 'z', 'r', 's'], upstreams(graph))).toEqual(['s', 'r', 's']);
    expect(findCycle(['p', 'q', 'z'], upstreams(graph))).toBeNull();
  });

  it('ignores upstream keys outside the key set, duplicate keys and duplicate edges', () => {
    const graph = { a: ['elsewhere'], b: ['a', 'a'] };
    expect(findCycle(['a', 'b', 'a'], upstreams(graph))).toBeNull();
  });

  it('calls upstreamOf once per distinct key', () => {
    const upstreamOf = jest.fn(upstreams({ b: ['a'] }));
    findCycle(['a', 'b', 'a'], upstreamOf);
    expect(upstreamOf.mock.calls).toEqual([['a'], ['b']]);
  });

  it('handles a 1,000,000-node chain without recursion', () => {
    const n = 1_000_000;
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    // Returns the existing key strings (as a caller's lookup would) rather than building new ones.
    const chain = (key: string): string[] => {
      const i = Number(key.slice(1));
      return i === 0 ? [] : [keys[i - 1]!];
    };
    expect(findCycle(keys, chain)).toBeNull();
  });
});

describe('findCycleInIdEdges', () => {
  const edges = (pairs: [number, number][]): [Int32Array, Int32Array] => [
    Int32Array.from(pairs.map(([up]) => up)),
    Int32Array.from(pairs.map(([, down]) => down)),
  ];

  it('returns null for no nodes and for nodes without edges', () => {
    expect(findCycleInIdEdges(0, ...edges([]))).toBeNull();
    expect(findCycleInIdEdges(3, ...edges([]))).toBeNull();
  });

  it('finds a self edge', () => {
    expect(
      findCycleInIdEdges(
        2,
        ...edges([
          [0, 1],
          [1, 1],
        ]),
      ),
    ).toEqual([1, 1]);
  });

  it('finds a 2-cycle', () => {
    expect(
      findCycleInIdEdges(
        2,
        ...edges([
          [0, 1],
          [1, 0],
        ]),
      ),
    ).toEqual([1, 0, 1]);
  });

  it('finds the cycle behind a lead-in node and ahead of a tail node', () => {
    // 0 -> 1 -> 2 -> 3 -> 1, and 3 -> 4.
    const found = findCycleInIdEdges(
      5,
      ...edges([
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 1],
        [3, 4],
      ]),
    );
    expect(found).toEqual([2, 3, 1, 2]);
  });

  it('returns null for a diamond with a duplicated edge', () => {
    expect(
      findCycleInIdEdges(
        4,
        ...edges([
          [0, 1],
          [0, 2],
          [1, 3],
          [2, 3],
          [2, 3],
        ]),
      ),
    ).toBeNull();
  });

  it('finds a cycle in the second of two components', () => {
    // 0 -> 1 is fine; 2 -> 3 -> 4 -> 2 is a cycle.
    expect(
      findCycleInIdEdges(
        5,
        ...edges([
          [0, 1],
          [2, 3],
          [3, 4],
          [4, 2],
        ]),
      ),
    ).toEqual([3, 4, 2, 3]);
  });

  it('refuses malformed input', () => {
    expect(() => findCycleInIdEdges(2, Int32Array.of(0), Int32Array.of())).toThrow(
      'upstream and downstream must have the same length (got 1 and 0)',
    );
    expect(() => findCycleInIdEdges(2, ...edges([[0, 2]]))).toThrow(
      'edge 0 (0 -> 2) refers to a node outside 0..1',
    );
    expect(() => findCycleInIdEdges(2, ...edges([[-1, 0]]))).toThrow(RangeError);
    expect(() => findCycleInIdEdges(-1, ...edges([]))).toThrow(RangeError);
  });

  it('handles a 1,000,000-node chain and a 1,000,000-node ring', () => {
    const n = 1_000_000;
    const up = new Int32Array(n - 1).map((_, i) => i);
    const down = new Int32Array(n - 1).map((_, i) => i + 1);
    expect(findCycleInIdEdges(n, up, down)).toBeNull();

    const ringUp = Int32Array.from([...up, n - 1]);
    const ringDown = Int32Array.from([...down, 0]);
    const cycle = findCycleInIdEdges(n, ringUp, ringDown)!;
    expect(cycle).toHaveLength(n + 1);
    expect(cycle.slice(0, 3)).toEqual([1, 2, 3]);
    expect(cycle.slice(-3)).toEqual([999_999, 0, 1]);
  });
});
