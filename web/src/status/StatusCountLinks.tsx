import { Link } from 'react-router-dom';
import { formatNumber } from '../components/format';
import {
  countsByGroup,
  STATUS_GROUPS,
  taskStatusesOf,
  taskTableHref,
  type StatusCount,
  type StatusGroup,
} from './statusStyle';

/**
 * Task counts in words, one per non-empty status group ("3 failed · 120 done"), each a link to the
 * task table filtered to that group's tasks (and to `template` when given); `only` limits the groups.
 */
export function StatusCountLinks({
  workflowId,
  counts,
  template,
  only,
}: {
  workflowId: string;
  counts: readonly StatusCount[];
  template?: string;
  only?: readonly StatusGroup[];
}) {
  const groups = countsByGroup(counts).filter(({ group }) => !only || only.includes(group));
  if (groups.length === 0) return null;
  // A task on a retry counts in "retrying", not in its status's group: "retrying" opens the tasks on a
  // retry, and a group with some of them in its statuses opens the others only (the counts agree).
  const filterOf = (group: StatusGroup) => {
    if (group === 'retrying') return { retrying: true };
    const status = taskStatusesOf(group);
    const anyRetrying = counts.some((c) => status.includes(c.status) && (c.retrying ?? 0) > 0);
    return anyRetrying ? { status, retrying: false } : { status };
  };
  return (
    <span className="status-counts">
      {groups.map(({ group, count }, i) => (
        <span key={group}>
          {i > 0 ? ' · ' : null}
          <Link to={taskTableHref(workflowId, { ...filterOf(group), template })} data-status-group={group}>
            {formatNumber(count)} {STATUS_GROUPS[group].label.toLowerCase()}
          </Link>
        </span>
      ))}
    </span>
  );
}
