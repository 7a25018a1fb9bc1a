import { formatNumber } from '../components/format';
import { countsByGroup, STATUS_GROUPS, type StatusCount } from './statusStyle';

/** Narrowest a non-empty segment is drawn: 1 failed task among 100,000 stays visible. */
export const MIN_SEGMENT_PX = 4;

/** A stacked bar of task counts by status group; its label spells the counts out for screen readers. */
export function ProgressBar({ counts, total }: { counts: readonly StatusCount[]; total: number }) {
  const groups = countsByGroup(counts);
  const label =
    total === 0
      ? 'no tasks'
      : groups
          .map(({ group, count }) => `${formatNumber(count)} ${STATUS_GROUPS[group].label.toLowerCase()}`)
          .join(', ');
  return (
    <div className="progress" role="img" aria-label={`Tasks: ${label}`} title={label}>
      {groups.map(({ group, count }) => (
        <span
          key={group}
          className="progress-segment"
          data-group={group}
          data-count={count}
          style={{
            // Sized by share; the wider segments shrink (flex) to make room for the minimum ones.
            width: `${(count / Math.max(1, total)) * 100}%`,
            minWidth: `${MIN_SEGMENT_PX}px`,
            background: STATUS_GROUPS[group].fill,
          }}
        />
      ))}
    </div>
  );
}
