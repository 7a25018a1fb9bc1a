import { countsByGroup, STATUS_GROUPS, type StatusCount } from './statusStyle';

/** A stacked bar of task counts by status group; its label spells the counts out for screen readers. */
export function ProgressBar({ counts, total }: { counts: readonly StatusCount[]; total: number }) {
  const groups = countsByGroup(counts);
  const label =
    total === 0
      ? 'no tasks'
      : groups.map(({ group, count }) => `${count} ${STATUS_GROUPS[group].label.toLowerCase()}`).join(', ');
  return (
    <div className="progress" role="img" aria-label={`Tasks: ${label}`} title={label}>
      {groups.map(({ group, count }) => (
        <span
          key={group}
          className="progress-segment"
          data-group={group}
          style={{
            width: `${(count / Math.max(1, total)) * 100}%`,
            background: STATUS_GROUPS[group].fill,
          }}
        />
      ))}
    </div>
  );
}
