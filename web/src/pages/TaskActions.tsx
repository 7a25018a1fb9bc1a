import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  SetTaskStatusDocument,
  TaskStatus,
  UpdateTaskResourcesDocument,
  type ResourcesFieldsFragment,
  type ResourcesInput,
} from '../generated/graphql';
import { isForbidden } from '../auth/authErrors';
import { useViewer, whyMayNotControl } from '../auth/viewer';
import { formatCount } from '../components/format';

/** The statuses a person may set (the server's override statuses), with what each does. */
export const OVERRIDE_CHOICES: readonly { status: TaskStatus; label: string }[] = [
  { status: TaskStatus.Queued, label: 'QUEUED (run again)' },
  { status: TaskStatus.Done, label: 'DONE (count as finished)' },
  { status: TaskStatus.ErrorFatal, label: 'ERROR_FATAL (give up)' },
];

function MutationError({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <span className="error inline" role="alert">
      {isForbidden(error) ? <strong>Not allowed: </strong> : null}
      {error.message}
    </span>
  );
}

/**
 * Sets the status of `taskIds` (one task on its page, the selected rows of the task table), optionally
 * of their downstream tasks too; for the workflow's owner or an admin, after a confirmation.
 */
export function SetTaskStatusForm({
  taskIds,
  owner,
  onChanged,
}: {
  taskIds: readonly string[];
  /** The workflow's owner: only they or an admin may change its tasks (when the server needs a token). */
  owner: string | null;
  onChanged: () => void;
}) {
  const notAllowed = whyMayNotControl(useViewer(), owner);
  const [status, setStatus] = useState<TaskStatus>(TaskStatus.Queued);
  const [recursive, setRecursive] = useState(false);
  const [setTaskStatus, { loading, error }] = useMutation(SetTaskStatusDocument, { onCompleted: onChanged });
  const nothing = taskIds.length === 0;
  return (
    <form
      className="action-group"
      aria-label="Set task status"
      onSubmit={(event) => {
        event.preventDefault();
        const what = `${formatCount(taskIds.length, 'task')}${recursive ? ' and their downstream tasks' : ''}`;
        if (!window.confirm(`Set ${what} to ${status}?`)) return;
        void setTaskStatus({ variables: { taskIds: [...taskIds], status, recursive } }).catch(
          () => undefined,
        );
      }}
    >
      <label>
        Set status to{' '}
        <select
          value={status}
          disabled={notAllowed !== null}
          onChange={(event) => setStatus(event.target.value as TaskStatus)}
        >
          {OVERRIDE_CHOICES.map((choice) => (
            <option key={choice.status} value={choice.status}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={recursive}
          disabled={notAllowed !== null}
          onChange={(event) => setRecursive(event.target.checked)}
        />{' '}
        with downstream tasks
      </label>
      <button
        type="submit"
        disabled={notAllowed !== null || loading || nothing}
        title={notAllowed ?? (nothing ? 'Select tasks first' : undefined)}
      >
        {taskIds.length === 1 ? 'Set status' : `Set status of ${formatCount(taskIds.length, 'task')}`}
      </button>
      <MutationError error={error} />
    </form>
  );
}

const toInt = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * What a task's next attempt asks for: memory (MiB), runtime (seconds), cores and queue; empty fields
 * keep the current value (updateTaskResources replaces only the fields given).
 */
export function ResourcesForm({
  taskId,
  resources,
  owner,
  onChanged,
}: {
  taskId: string;
  resources: ResourcesFieldsFragment;
  owner: string | null;
  onChanged: () => void;
}) {
  const notAllowed = whyMayNotControl(useViewer(), owner);
  const [memory, setMemory] = useState(resources.memoryMb?.toString() ?? '');
  const [runtime, setRuntime] = useState(resources.runtimeSeconds?.toString() ?? '');
  const [cores, setCores] = useState(resources.cores?.toString() ?? '');
  const [queue, setQueue] = useState(resources.queue ?? '');
  const [update, { loading, error, data }] = useMutation(UpdateTaskResourcesDocument, {
    onCompleted: onChanged,
  });
  const input: ResourcesInput = {
    ...(toInt(memory) !== null && toInt(memory) !== resources.memoryMb ? { memoryMb: toInt(memory) } : {}),
    ...(toInt(runtime) !== null && toInt(runtime) !== resources.runtimeSeconds
      ? { runtimeSeconds: toInt(runtime) }
      : {}),
    ...(toInt(cores) !== null && toInt(cores) !== resources.cores ? { cores: toInt(cores) } : {}),
    ...(queue.trim() !== '' && queue.trim() !== resources.queue ? { queue: queue.trim() } : {}),
  };
  const unchanged = Object.keys(input).length === 0;
  const field = (label: string, value: string, set: (value: string) => void, type = 'number') => (
    <label>
      {label}{' '}
      <input
        type={type}
        min={type === 'number' ? 1 : undefined}
        value={value}
        disabled={notAllowed !== null}
        title={notAllowed ?? undefined}
        onChange={(event) => set(event.target.value)}
        style={{ width: type === 'number' ? '7em' : '10em' }}
      />
    </label>
  );
  return (
    <form
      className="action-group resources-form"
      aria-label="Resources of the next attempt"
      onSubmit={(event) => {
        event.preventDefault();
        void update({ variables: { taskIds: [taskId], resources: input } }).catch(() => undefined);
      }}
    >
      {field('Memory (MiB)', memory, setMemory)}
      {field('Runtime (s)', runtime, setRuntime)}
      {field('Cores', cores, setCores)}
      {field('Queue', queue, setQueue, 'text')}
      <button
        type="submit"
        disabled={notAllowed !== null || loading || unchanged}
        title={notAllowed ?? undefined}
      >
        Update resources
      </button>
      {data && !error ? (
        <span className="muted small" role="status">
          Saved: the next attempt asks for these.
        </span>
      ) : null}
      <MutationError error={error} />
    </form>
  );
}
