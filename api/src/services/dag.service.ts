import type { Database } from '../db';
import { lastAuditEventIdOfWorkflow } from '../events/audit-log';
import { readTemplateStatusCounts, readWorkflowTemplates } from '../db/ops/reads';
import { readTemplateEdgeCounts } from '../db/ops/template-edge-counts';
import type { TaskStatus } from '../domain';
import { groupStatus, toStatusCounts, type StatusCounts } from './status-counts';

export interface DagNode {
  id: string;
  taskId: number | null;
  label: string;
  template: string;
  collapsed: boolean;
  status: TaskStatus;
  size: number;
  statusCounts: StatusCounts | null;
}
export interface DagEdge {
  source: string;
  target: string;
  count: number;
}
export interface Dag {
  /**
   * The workflow's newest audit id, read before the rest: the DAG shows every change up to it, and
   * taskStatusChanged(since: it) delivers every change after it.
   */
  lastEventId: number | null;
  collapsed: boolean;
  nodes: DagNode[];
  edges: DagEdge[];
}

export interface DagOptions {
  collapse: 'AUTO' | 'TEMPLATES' | 'TASKS';
  collapseAbove: number;
  /** Templates drawn task by task while the others stay collapsed. */
  expand: readonly string[];
}

/**
 * The drawable graph of a workflow. Collapsed, it reads a few rows of kept counts whatever the size of the
 * workflow: the client never downloads 100,000 tasks to draw a dozen templates.
 */
export async function buildDag(db: Database, workflowId: number, options: DagOptions): Promise<Dag> {
  const lastEventId = await lastAuditEventIdOfWorkflow(db, workflowId);
  const [workflow] = await db.select<{ task_count: number }>('SELECT task_count FROM workflow WHERE id = ?', [
    workflowId,
  ]);
  const taskCount = Number(workflow?.task_count ?? 0);
  const collapsed =
    options.collapse === 'TEMPLATES' || (options.collapse === 'AUTO' && taskCount > options.collapseAbove);
  const templates = await readWorkflowTemplates(db, [workflowId]);
  const nameOf = new Map(templates.map((t) => [t.taskTemplateVersionId, t.name]));

  const expandedIds = collapsed
    ? templates.filter((t) => options.expand.includes(t.name)).map((t) => t.taskTemplateVersionId)
    : templates.map((t) => t.taskTemplateVersionId);
  const expanded = new Set(expandedIds);

  const nodes: DagNode[] = [];
  if (collapsed) {
    const counts = await readTemplateStatusCounts(db, workflowId);
    for (const template of templates) {
      if (expanded.has(template.taskTemplateVersionId)) continue;
      const statusCounts = toStatusCounts(counts.filter((c) => c.groupId === template.taskTemplateVersionId));
      nodes.push({
        id: `template:${template.name}`,
        taskId: null,
        label: template.name,
        template: template.name,
        collapsed: true,
        status: groupStatus(statusCounts),
        size: statusCounts.total,
        statusCounts,
      });
    }
  }
  if (expandedIds.length > 0) {
    const tasks = await db.select<{
      id: number;
      name: string;
      status: TaskStatus;
      task_template_version_id: number;
    }>(
      `SELECT id, name, status, task_template_version_id FROM task WHERE workflow_id = ?${
        collapsed
          ? ` AND task_template_version_id IN (${expandedIds.map((id) => db.literal(id)).join(',')})`
          : ''
      } ORDER BY id`,
      [workflowId],
    );
    for (const task of tasks)
      nodes.push({
        id: `task:${task.id}`,
        taskId: Number(task.id),
        label: task.name,
        template: nameOf.get(Number(task.task_template_version_id)) ?? '',
        collapsed: false,
        status: task.status,
        size: 1,
        statusCounts: null,
      });
  }

  const edges: DagEdge[] = [];
  if (!collapsed) {
    const rows = await db.select<{ u: number; d: number }>(
      // From the workflow's tasks: on MySQL edge has no index on workflow_id (migration 0013).
      'SELECT e.upstream_task_id AS u, e.downstream_task_id AS d FROM task t JOIN edge e ON e.downstream_task_id = t.id WHERE t.workflow_id = ?',
      [workflowId],
    );
    for (const row of rows) edges.push({ source: `task:${row.u}`, target: `task:${row.d}`, count: 1 });
  } else {
    // Template-to-template edges: the counts kept at bind, a few rows whatever the size of the workflow.
    for (const pair of await readTemplateEdgeCounts(db, workflowId)) {
      if (expanded.has(pair.upstream) || expanded.has(pair.downstream)) continue;
      if (pair.upstream === pair.downstream) continue; // edges inside a collapsed template are not drawn
      edges.push({
        source: `template:${nameOf.get(pair.upstream)}`,
        target: `template:${nameOf.get(pair.downstream)}`,
        count: pair.count,
      });
    }
    if (expandedIds.length > 0) {
      const list = expandedIds.map((id) => db.literal(id)).join(',');
      const rows = await db.select<{ u: number; d: number; uv: number; dv: number }>(
        `SELECT e.upstream_task_id AS u, e.downstream_task_id AS d,
                ut.task_template_version_id AS uv, dt.task_template_version_id AS dv
           FROM edge e JOIN task ut ON ut.id = e.upstream_task_id JOIN task dt ON dt.id = e.downstream_task_id
          WHERE dt.workflow_id = ? AND (ut.task_template_version_id IN (${list}) OR dt.task_template_version_id IN (${list}))`,
        [workflowId],
      );
      const merged = new Map<string, DagEdge>();
      for (const row of rows) {
        const source = expanded.has(Number(row.uv))
          ? `task:${row.u}`
          : `template:${nameOf.get(Number(row.uv))}`;
        const target = expanded.has(Number(row.dv))
          ? `task:${row.d}`
          : `template:${nameOf.get(Number(row.dv))}`;
        const key = `${source}>${target}`;
        const edge = merged.get(key);
        if (edge) edge.count += 1;
        else merged.set(key, { source, target, count: 1 });
      }
      edges.push(...merged.values());
    }
  }
  return { lastEventId, collapsed, nodes, edges };
}
