import {
  ELK_MAX_NODES,
  layoutDag,
  layoutLayeredGrid,
  type LayoutEdge,
  type LayoutInput,
  type LayoutNode,
} from './dagLayout';

function chainOfLayers(widths: number[]): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  widths.forEach((width, layer) => {
    for (let i = 0; i < width; i++) {
      nodes.push({ id: `${layer}:${i}`, width: 180, height: 40 });
      if (layer > 0)
        edges.push({ source: `${layer - 1}:${i % widths[layer - 1]!}`, target: `${layer}:${i}` });
    }
  });
  return { nodes, edges };
}

function expectDownward(input: LayoutInput, positions: Record<string, { x: number; y: number }>) {
  for (const node of input.nodes) expect(positions[node.id]).toBeDefined();
  for (const edge of input.edges)
    expect(positions[edge.target]!.y).toBeGreaterThan(positions[edge.source]!.y);
}

describe('DAG layout', () => {
  it('lays a small graph out with ELK, every edge pointing down', async () => {
    const input = chainOfLayers([1, 4, 4, 1]);
    input.edges.push(...[0, 1, 2, 3].map((i) => ({ source: `2:${i}`, target: '3:0' })));
    const result = await layoutDag(input);
    expect(result.algorithm).toBe('elk');
    expectDownward(input, result.positions);
  });

  it('lays a large graph out in layers wrapped into rows, in linear time', async () => {
    const input = chainOfLayers([1, 10_000, 1]);
    input.edges.push(...Array.from({ length: 10_000 }, (_, i) => ({ source: `1:${i}`, target: '2:0' })));
    expect(input.nodes.length).toBeGreaterThan(ELK_MAX_NODES);
    const result = await layoutDag(input);
    expect(result.algorithm).toBe('layered-grid');
    expectDownward(input, result.positions);
    // 10,000 nodes in one layer become rows, not one 2-million-pixel line.
    const xs = input.nodes.map((n) => result.positions[n.id]!.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(20_000);
  });

  it('does not overlap nodes of a wrapped layer', () => {
    const input = chainOfLayers([150]);
    const positions = layoutLayeredGrid(input);
    const seen = new Set(input.nodes.map((n) => `${positions[n.id]!.x},${positions[n.id]!.y}`));
    expect(seen.size).toBe(150);
  });
});
