import { STATUS_GROUPS, statusGroupOf } from './statusStyle';

/** A status as text with its group's colour and icon (the icon keeps it readable without colour). */
export function StatusBadge({ status }: { status: string }) {
  const group = statusGroupOf(status);
  const style = STATUS_GROUPS[group];
  return (
    <span
      className="status-badge"
      data-status={status}
      data-status-group={group}
      style={{ background: style.color, color: style.textColor }}
    >
      <span aria-hidden="true">{style.icon}</span> {status.replace(/_/g, ' ')}
    </span>
  );
}
