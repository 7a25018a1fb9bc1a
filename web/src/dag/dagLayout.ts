import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';

// The DAG layout: a pure function of the graph (node ids and sizes, edges), run in a Web Worker
// (dagLayout.worker.ts) so the page stays responsive. ELK's layered algorithm draws graphs up to
// ELK_MAX_NODES whose layers are at most MAX_ROW_NODES wide. Larger graphs take ELK seconds (measured in
// Node: 1,000 nodes 1.5 s, 3,000 nodes 7.6 s) and wide layers become one endless row, so they get a
// linear-time layered layout instead: longest-path layers, one barycentre ordering sweep, and wide
// layers wrapped into rows.

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  source: string;
  target: string;
}
export interface LayoutInput {
  nodes: readonly LayoutNode[];
  edges: readonly LayoutEdge[];
}
export interface LayoutResult {
  /** x, y of each node's top-left corner, by node id. */
  positions: Record<string, { x: number; y: number }>;
  algorithm: 'elk' | 'layered-grid';
  millis: number;
}

export const ELK_MAX_NODES = 800;
const NODE_GAP = 24;
const LAYER_GAP = 80;
/** The widest row of the fallback layout, in nodes (wider layers wrap). */
const MAX_ROW_NODES = 60;

const elk = new ELK();

export async function layoutDag(input: LayoutInput): Promise<LayoutResult> {
  const started = performance.now();
  const graph = layerGraph(input);
  const widestLayer = Math.max(0, ...graph.layers.map((layer) => layer?.length ?? 0));
  const useElk = input.nodes.length <= ELK_MAX_NODES && widestLayer <= MAX_ROW_NODES;
  const positions = useElk ? await layoutWithElk(input) : layoutLayeredGrid(input, graph);
  return { positions, algorithm: useElk ? 'elk' : 'layered-grid', millis: performance.now() - started };
}

async function layoutWithElk(input: LayoutInput): Promise<LayoutResult['positions']> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': String(NODE_GAP),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: input.nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: input.edges.map((edge, i) => ({ id: `e${i}`, sources: [edge.source], targets: [edge.target] })),
  };
  const laidOut = await elk.layout(graph);
  const positions: LayoutResult['positions'] = {};
  for (const child of laidOut.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}

interface LayeredGraph {
  /** Node indexes per layer (the longest path from a root). */
  layers: number[][];
  upstream: number[][];
}

/** Kahn's topological order gives each node the longest path from a root as its layer. */
function layerGraph(input: LayoutInput): LayeredGraph {
  const index = new Map(input.nodes.map((node, i) => [node.id, i]));
  const n = input.nodes.length;
  const upstream: number[][] = Array.from({ length: n }, () => []);
  const downstream: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const edge of input.edges) {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s === undefined || t === undefined || s === t) continue;
    downstream[s]!.push(t);
    upstream[t]!.push(s);
    indegree[t]! += 1;
  }
  const layerOf = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (const v of downstream[u]!) {
      layerOf[v] = Math.max(layerOf[v]!, layerOf[u]! + 1);
      if (--indegree[v]! === 0) queue.push(v);
    }
  }
  const layers: number[][] = [];
  for (let i = 0; i < n; i++) (layers[layerOf[i]!] ??= []).push(i);
  return { layers, upstream };
}

/** The layered graph's layers in rows, ordered by the barycentre of their upstream nodes. */
export function layoutLayeredGrid(
  input: LayoutInput,
  { layers, upstream }: LayeredGraph = layerGraph(input),
): LayoutResult['positions'] {
  const n = input.nodes.length;
  const order = new Float64Array(n);
  const positions: LayoutResult['positions'] = {};
  let y = 0;
  for (const layer of layers) {
    if (!layer) continue;
    // Barycentre of the upstream nodes' places keeps related nodes near each other.
    const keyOf = (i: number) => {
      const ups = upstream[i]!;
      if (ups.length === 0) return i;
      let sum = 0;
      for (const u of ups) sum += order[u]!;
      return sum / ups.length;
    };
    const keys = new Map(layer.map((i) => [i, keyOf(i)]));
    layer.sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
    const rowWidth = Math.min(layer.length, MAX_ROW_NODES);
    const cellWidth = Math.max(...layer.map((i) => input.nodes[i]!.width)) + NODE_GAP;
    const cellHeight = Math.max(...layer.map((i) => input.nodes[i]!.height)) + NODE_GAP;
    layer.forEach((i, position) => {
      order[i] = position;
      const node = input.nodes[i]!;
      const column = position % rowWidth;
      const row = Math.floor(position / rowWidth);
      // Rows are centred on x = 0 so that narrow layers sit over wide ones.
      positions[node.id] = {
        x: (column - rowWidth / 2) * cellWidth + (cellWidth - node.width) / 2,
        y: y + row * cellHeight,
      };
    });
    y += Math.ceil(layer.length / rowWidth) * cellHeight + LAYER_GAP;
  }
  return positions;
}
