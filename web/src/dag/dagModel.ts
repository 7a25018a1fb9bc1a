import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import type { TaskStatus, WorkflowDagQuery } from '../generated/graphql';
import { formatCount, formatNumber } from '../components/format';
import { mostPressingStatus, type StatusCount } from '../status/statusStyle';
import type { LayoutInput, LayoutResult } from './dagLayout';

// From the API's Dag to xyflow nodes and edges, and the live patches applied to them. Pure functions:
// a status change replaces only the changed node objects (React Flow re-renders those), never the layout.

export type Dag = NonNullable<WorkflowDagQuery['workflow']>['dag'];

export const TASK_NODE_SIZE = { width: 180, height: 40 } as const;
export const TEMPLATE_NODE_SIZE = { width: 240, height: 96 } as const;

export type TaskNodeData = { taskId: string; label: string; template: string; status: TaskStatus };
export type TemplateNodeData = {
  template: string;
  status: TaskStatus;
  size: number;
  counts: readonly StatusCount[];
};
export type TaskFlowNode = Node<TaskNodeData, 'task'>;
export type TemplateFlowNode = Node<TemplateNodeData, 'template'>;
export type DagFlowNode = TaskFlowNode | TemplateFlowNode;

/**
 * A node's size, its measured size and its handles, known in advance: React Flow then needs no
 * measuring pass, and a node replaced by a status patch keeps them (otherwise each replacement resets
 * its handles, and every edge of the node, possibly thousands for a template, is drawn again).
 */
function fixedGeometry(size: { width: number; height: number }) {
  const handles: NodeHandle[] = [
    { type: 'target', position: Position.Top, x: size.width / 2, y: 0, width: 1, height: 1 },
    { type: 'source', position: Position.Bottom, x: size.width / 2, y: size.height - 1, width: 1, height: 1 },
  ];
  return { ...size, measured: { ...size }, handles };
}
const TASK_GEOMETRY = fixedGeometry(TASK_NODE_SIZE);
const TEMPLATE_GEOMETRY = fixedGeometry(TEMPLATE_NODE_SIZE);

export function toLayoutInput(dag: Dag): LayoutInput {
  return {
    nodes: dag.nodes.map((node) => ({
      id: node.id,
      ...(node.collapsed ? TEMPLATE_NODE_SIZE : TASK_NODE_SIZE),
    })),
    edges: dag.edges.map((edge) => ({ source: edge.source, target: edge.target })),
  };
}

export function buildFlowNodes(
  dag: Dag,
  positions: LayoutResult['positions'],
  liveTaskStatuses: ReadonlyMap<string, TaskStatus>,
  templateCounts: ReadonlyMap<string, readonly StatusCount[]>,
): DagFlowNode[] {
  return dag.nodes.map((node): DagFlowNode => {
    const position = positions[node.id] ?? { x: 0, y: 0 };
    if (node.collapsed) {
      const counts = templateCounts.get(node.template) ?? [];
      return {
        id: node.id,
        type: 'template',
        position,
        ...TEMPLATE_GEOMETRY,
        ariaLabel: `Template ${node.template}, ${formatCount(node.size, 'task')}`,
        data: {
          template: node.template,
          status: counts.length ? mostPressingStatus(counts) : node.status,
          size: node.size,
          counts,
        },
      };
    }
    const taskId = node.taskId ?? node.id.replace(/^task:/, '');
    const status = liveTaskStatuses.get(taskId) ?? node.status;
    return {
      id: node.id,
      type: 'task',
      position,
      ...TASK_GEOMETRY,
      ariaLabel: taskAriaLabel(node.label, status),
      data: { taskId, label: node.label, template: node.template, status },
    };
  });
}

/** What a screen reader announces on a focused task node. */
function taskAriaLabel(label: string, status: TaskStatus): string {
  return `Task ${label}, ${status}`;
}

export function buildFlowEdges(dag: Dag): Edge[] {
  const large = dag.edges.length > 1000;
  return dag.edges.map((edge) => ({
    id: `${edge.source}>${edge.target}`,
    source: edge.source,
    target: edge.target,
    // Straight edges are the cheapest to draw; labels only where an edge stands for several.
    type: large ? 'straight' : 'default',
    label: edge.count > 1 ? formatNumber(edge.count) : undefined,
    focusable: false,
  }));
}

/** The nodes with new task statuses; the same array when nothing changed. */
export function patchTaskStatuses(
  nodes: DagFlowNode[],
  changes: ReadonlyMap<string, TaskStatus>,
): DagFlowNode[] {
  let changed = false;
  const next = nodes.map((node) => {
    if (node.type !== 'task') return node;
    const status = changes.get(node.data.taskId);
    if (status === undefined || status === node.data.status) return node;
    changed = true;
    return { ...node, ariaLabel: taskAriaLabel(node.data.label, status), data: { ...node.data, status } };
  });
  return changed ? next : nodes;
}

function sameCounts(a: readonly StatusCount[], b: readonly StatusCount[]): boolean {
  return a.length === b.length && a.every((c, i) => c.status === b[i]!.status && c.count === b[i]!.count);
}

/** The collapsed template nodes with new counts; the same array when nothing changed. */
export function patchTemplateCounts(
  nodes: DagFlowNode[],
  templateCounts: ReadonlyMap<string, readonly StatusCount[]>,
): DagFlowNode[] {
  let changed = false;
  const next = nodes.map((node) => {
    if (node.type !== 'template') return node;
    const counts = templateCounts.get(node.data.template);
    if (!counts || sameCounts(counts, node.data.counts)) return node;
    changed = true;
    return { ...node, data: { ...node.data, counts, status: mostPressingStatus(counts) } };
  });
  return changed ? next : nodes;
}
