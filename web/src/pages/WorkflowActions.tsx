import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  ResumeMode,
  ResumeWorkflowDocument,
  SetMaxConcurrentlyRunningDocument,
  StopWorkflowDocument,
} from '../generated/graphql';
import { TERMINAL_WORKFLOW_STATUSES } from '../status/statusStyle';

/** Stop, resume and the concurrency limit of a workflow; errors are shown next to the buttons. */
export function WorkflowActions({
  workflowId,
  status,
  maxConcurrentlyRunning,
  onChanged,
}: {
  workflowId: string;
  status: string;
  maxConcurrentlyRunning: number;
  onChanged: () => void;
}) {
  const [stop, stopping] = useMutation(StopWorkflowDocument, { onCompleted: onChanged });
  const [resume, resuming] = useMutation(ResumeWorkflowDocument, { onCompleted: onChanged });
  const [setLimit, settingLimit] = useMutation(SetMaxConcurrentlyRunningDocument, { onCompleted: onChanged });
  const [mode, setMode] = useState<ResumeMode>(ResumeMode.Cold);
  const [limit, setLimitText] = useState(String(maxConcurrentlyRunning));
  const finished = TERMINAL_WORKFLOW_STATUSES.has(status);
  const error = stopping.error ?? resuming.error ?? settingLimit.error;

  return (
    <div className="actions">
      <button
        type="button"
        disabled={finished || stopping.loading}
        onClick={() => {
          if (window.confirm('Stop this workflow? Running attempts are killed.'))
            void stop({ variables: { id: workflowId, reason: 'stopped from the web UI' } }).catch(
              () => undefined,
            );
        }}
      >
        Stop
      </button>
      <span className="action-group">
        <button
          type="button"
          disabled={status === 'DONE' || !finished || resuming.loading}
          onClick={() => void resume({ variables: { id: workflowId, mode } }).catch(() => undefined)}
        >
          Resume
        </button>
        <label>
          <span className="sr-only">Resume mode</span>
          <select value={mode} onChange={(event) => setMode(event.target.value as ResumeMode)}>
            <option value={ResumeMode.Cold}>cold</option>
            <option value={ResumeMode.Hot}>hot</option>
          </select>
        </label>
      </span>
      <form
        className="action-group"
        onSubmit={(event) => {
          event.preventDefault();
          void setLimit({ variables: { workflowId, limit: Number(limit) } }).catch(() => undefined);
        }}
      >
        <label>
          Max concurrently running{' '}
          <input
            type="number"
            min={0}
            value={limit}
            onChange={(event) => setLimitText(event.target.value)}
            style={{ width: '7em' }}
          />
        </label>
        <button type="submit" disabled={settingLimit.loading || limit === '' || Number(limit) < 0}>
          Set
        </button>
      </form>
      {error ? (
        <span className="error inline" role="alert">
          {error.message}
        </span>
      ) : null}
    </div>
  );
}
