import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  ResumeMode,
  ResumeWorkflowDocument,
  SetMaxConcurrentlyRunningDocument,
  StopWorkflowDocument,
} from '../generated/graphql';
import { TERMINAL_WORKFLOW_STATUSES } from '../status/statusStyle';
import { isForbidden } from '../auth/authErrors';
import { useViewer, whyMayNotControl } from '../auth/viewer';

/**
 * Stop, resume and the concurrency limit of a workflow; errors are shown next to the buttons. Disabled,
 * with the reason, for a signed-in viewer who is neither its owner nor an admin (the server would refuse).
 */
export function WorkflowActions({
  workflowId,
  status,
  maxConcurrentlyRunning,
  owner,
  onChanged,
}: {
  workflowId: string;
  status: string;
  maxConcurrentlyRunning: number;
  /** The workflow's owner (`createdBy`). */
  owner: string | null;
  onChanged: () => void;
}) {
  const notAllowed = whyMayNotControl(useViewer(), owner);
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
        disabled={notAllowed !== null || finished || stopping.loading}
        title={notAllowed ?? undefined}
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
          disabled={notAllowed !== null || status === 'DONE' || !finished || resuming.loading}
          title={notAllowed ?? undefined}
          onClick={() => void resume({ variables: { id: workflowId, mode } }).catch(() => undefined)}
        >
          Resume
        </button>
        <label>
          <span className="sr-only">Resume mode</span>
          <select
            value={mode}
            disabled={notAllowed !== null}
            onChange={(event) => setMode(event.target.value as ResumeMode)}
          >
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
            disabled={notAllowed !== null}
            title={notAllowed ?? undefined}
            onChange={(event) => setLimitText(event.target.value)}
            style={{ width: '7em' }}
          />
        </label>
        <button
          type="submit"
          disabled={notAllowed !== null || settingLimit.loading || limit === '' || Number(limit) < 0}
          title={notAllowed ?? undefined}
        >
          Set
        </button>
      </form>
      {notAllowed ? <span className="muted not-allowed">{notAllowed}</span> : null}
      {error ? (
        <span className="error inline" role="alert">
          {isForbidden(error) ? <strong>Not allowed: </strong> : null}
          {error.message}
        </span>
      ) : null}
    </div>
  );
}
