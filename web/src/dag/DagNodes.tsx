import { createContext, memo, useContext } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { Link } from 'react-router-dom';
import { ProgressBar } from '../status/ProgressBar';
import { STATUS_GROUPS, TASK_STATUS_GROUP, countsByGroup } from '../status/statusStyle';
import { formatCount, formatNumber } from '../components/format';
import type { TaskFlowNode, TemplateFlowNode } from './dagModel';

// The DAG's node components: small, memoised, reading everything from their data (no per-node
// subscriptions). The root element carries data-task-id / data-template and data-status (SPEC §8).

/** Expands or collapses a template group (provided by DagView). */
export const ToggleTemplateContext = createContext<(template: string) => void>(() => undefined);

export const TaskNode = memo(function TaskNode({ data }: NodeProps<TaskFlowNode>) {
  const style = STATUS_GROUPS[TASK_STATUS_GROUP[data.status]];
  return (
    <div
      className="dag-node dag-task"
      data-task-id={data.taskId}
      data-status={data.status}
      style={{ background: style.color, color: style.textColor }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span className="dag-icon" aria-hidden="true">
        {style.icon}
      </span>
      {/* The node itself is the tab stop (Enter opens the task, see DagView): the link is for the mouse. */}
      <Link
        to={`/tasks/${data.taskId}`}
        title={`${data.label}: ${data.status}`}
        style={{ color: 'inherit' }}
        tabIndex={-1}
      >
        {data.label}
      </Link>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

export const TemplateNode = memo(function TemplateNode({ data }: NodeProps<TemplateFlowNode>) {
  const toggle = useContext(ToggleTemplateContext);
  const style = STATUS_GROUPS[TASK_STATUS_GROUP[data.status]];
  const total = data.counts.reduce((sum, c) => sum + c.count, 0) || data.size;
  return (
    <div
      className="dag-node dag-template"
      data-template={data.template}
      data-status={data.status}
      style={{ borderColor: style.color }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="dag-template-title">
        <span className="dag-icon" aria-hidden="true" style={{ color: style.color }}>
          {style.icon}
        </span>
        <strong title={data.template}>{data.template}</strong>
        <span className="muted">{formatCount(total, 'task')}</span>
      </div>
      <ProgressBar counts={data.counts} total={total} />
      <div className="dag-template-counts">
        {countsByGroup(data.counts).map(({ group, count }) => (
          <span key={group} title={STATUS_GROUPS[group].label}>
            <span aria-hidden="true">{STATUS_GROUPS[group].icon}</span>
            <span className="sr-only">{STATUS_GROUPS[group].label}</span> {formatNumber(count)}
          </span>
        ))}
        <button type="button" className="link-button nodrag" onClick={() => toggle(data.template)}>
          Expand
        </button>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

export const NODE_TYPES = { task: TaskNode, template: TemplateNode };
