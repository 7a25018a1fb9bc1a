import { GROUP_ORDER, STATUS_GROUPS, TASK_STATUS_GROUP } from './statusStyle';

const STATUSES_OF_GROUP = Object.entries(TASK_STATUS_GROUP).reduce<Record<string, string[]>>(
  (acc, [status, group]) => ({ ...acc, [group]: [...(acc[group] ?? []), status] }),
  {},
);

/** The task status groups with their colour, icon and the statuses each stands for. */
export function StatusLegend() {
  return (
    <ul className="legend" aria-label="Status legend">
      {GROUP_ORDER.filter((group) => STATUSES_OF_GROUP[group]).map((group) => (
        <li key={group} title={STATUSES_OF_GROUP[group]!.join(', ')}>
          <span
            className="legend-swatch"
            aria-hidden="true"
            style={{ background: STATUS_GROUPS[group].fill }}
          />
          <span aria-hidden="true">{STATUS_GROUPS[group].icon}</span>
          {STATUS_GROUPS[group].label}
        </li>
      ))}
    </ul>
  );
}
