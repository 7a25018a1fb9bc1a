import type { BlockKind } from '../generated/graphql';

const LABELS: Record<BlockKind, string> = {
  UPSTREAM_NOT_DONE: 'Upstream not done',
  WORKFLOW_LIMIT: 'Workflow limit',
  TEMPLATE_LIMIT: 'Template limit',
  NO_DISTRIBUTOR_FOR_QUEUE: 'No distributor',
  BACKEND_PENDING: 'Backend pending',
  WORKFLOW_NOT_RUNNING: 'Workflow not running',
};

/** Why a task waits (Task.blockedBy): one line per reason; nothing when it is not waiting. */
export function BlockReasons({ reasons }: { reasons: readonly { kind: BlockKind; message: string }[] }) {
  if (reasons.length === 0) return null;
  return (
    <section className="block-reasons" role="status" aria-label="Why it is waiting">
      <strong>Waiting:</strong>
      <ul>
        {reasons.map((reason) => (
          <li key={reason.kind} data-block-kind={reason.kind}>
            <span className="block-kind">{LABELS[reason.kind]}</span>: {reason.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
