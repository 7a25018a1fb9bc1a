import {
  buildFlowEdges,
  buildFlowNodes,
  patchTaskStatuses,
  patchTemplateCounts,
  toLayoutInput,
  type Dag,
} from './dagModel';

const dag: Dag = {
  lastEventId: '1',
  collapsed: true,
  nodes: [
    {
      id: 'template:prepare',
      taskId: null,
      label: 'prepare',
      template: 'prepare',
      collapsed: true,
      status: 'QUEUED',
      size: 400,
    },
    {
      id: 'task:7',
      taskId: '7',
      label: 'fit 7',
      template: 'fit',
      collapsed: false,
      status: 'QUEUED',
      size: 1,
    },
    {
      id: 'task:8',
      taskId: '8',
      label: 'fit 8',
      template: 'fit',
      collapsed: false,
      status: 'REGISTERING',
      size: 1,
    },
  ],
  edges: [
    { source: 'template:prepare', target: 'task:7', count: 3 },
    { source: 'template:prepare', target: 'task:8', count: 1 },
  ],
};
const positions = {
  'template:prepare': { x: 0, y: 0 },
  'task:7': { x: 10, y: 200 },
  'task:8': { x: 220, y: 200 },
};

describe('the DAG model', () => {
  it('sizes nodes for the layout by kind', () => {
    const input = toLayoutInput(dag);
    expect(input.nodes.map((n) => [n.id, n.width, n.height])).toEqual([
      ['template:prepare', 240, 96],
      ['task:7', 180, 40],
      ['task:8', 180, 40],
    ]);
    expect(input.edges).toEqual([
      { source: 'template:prepare', target: 'task:7' },
      { source: 'template:prepare', target: 'task:8' },
    ]);
  });

  it('builds nodes at their positions, with live statuses and template counts over the snapshot', () => {
    const nodes = buildFlowNodes(
      dag,
      positions,
      new Map([['8', 'QUEUED' as const]]),
      new Map([
        [
          'prepare',
          [
            { status: 'DONE' as const, count: 399 },
            { status: 'RUNNING' as const, count: 1 },
          ],
        ],
      ]),
    );
    expect(nodes.map((n) => [n.id, n.type, n.position, n.data.status])).toEqual([
      ['template:prepare', 'template', { x: 0, y: 0 }, 'RUNNING'],
      ['task:7', 'task', { x: 10, y: 200 }, 'QUEUED'],
      ['task:8', 'task', { x: 220, y: 200 }, 'QUEUED'],
    ]);
    expect(buildFlowEdges(dag).map((e) => [e.id, e.label])).toEqual([
      ['template:prepare>task:7', '3'],
      ['template:prepare>task:8', undefined],
    ]);
  });

  it('patches a status by replacing only the changed node, keeping the others (and the array when unchanged)', () => {
    const nodes = buildFlowNodes(dag, positions, new Map(), new Map());
    const patched = patchTaskStatuses(nodes, new Map([['7', 'RUNNING' as const]]));
    expect(patched).not.toBe(nodes);
    expect(patched[1]!.data.status).toBe('RUNNING');
    expect(patched[1]!.position).toBe(nodes[1]!.position);
    expect(patched[0]).toBe(nodes[0]);
    expect(patched[2]).toBe(nodes[2]);
    expect(patchTaskStatuses(patched, new Map([['7', 'RUNNING' as const]]))).toBe(patched);
    expect(patchTaskStatuses(patched, new Map([['999', 'DONE' as const]]))).toBe(patched);
  });

  it('patches template counts and the status they imply', () => {
    const nodes = buildFlowNodes(dag, positions, new Map(), new Map());
    const counts = new Map([['prepare', [{ status: 'ERROR_FATAL' as const, count: 1 }]]]);
    const patched = patchTemplateCounts(nodes, counts);
    expect(patched[0]!.data.status).toBe('ERROR_FATAL');
    expect(patched[1]).toBe(nodes[1]);
    expect(patchTemplateCounts(patched, counts)).toBe(patched);
  });
});
