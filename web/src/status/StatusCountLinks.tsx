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
 * task table filtered to that group's statuses (and to `template` when given); `only` limits the groups.
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
  // Retrying tasks may be in any unfinished status; the table filters by status only, so "retrying"
  // opens the statuses they are in (with the tasks there that are not on a retry).
  const statusesOf = (group: StatusGroup) =>
    group === 'retrying'
      ? counts.filter((c) => (c.retrying ?? 0) > 0).map((c) => c.status)
      : taskStatusesOf(group);
  return (
    <span className="status-counts">
      {groups.map(({ group, count }, i) => (
        <span key={group}>
          {i > 0 ? ' · ' : null}
          <Link
            to={taskTableHref(workflowId, { status: statusesOf(group), template })}
            data-status-group={group}
          >
            {formatNumber(count)} {STATUS_GROUPS[group].label.toLowerCase()}
          </Link>
        </span>
      ))}
    </span>
  );
}
