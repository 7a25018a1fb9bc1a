import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { SetMaxConcurrentlyRunningDocument, type WorkflowTemplatesQuery } from '../generated/graphql';
import { formatCount, formatDuration, formatMegabytes, formatNumber } from '../components/format';
import { Link } from 'react-router-dom';
import { ProgressBar } from '../status/ProgressBar';
import { StatusCountLinks } from '../status/StatusCountLinks';
import { taskTableHref } from '../status/statusStyle';
import { isForbidden } from '../auth/authErrors';
import { useViewer, whyMayNotControl } from '../auth/viewer';

type Template = NonNullable<WorkflowTemplatesQuery['workflow']>['taskTemplates'][number];
type Stat = { min?: number | null; mean?: number | null; max?: number | null };

function statText(stat: Stat, format: (value: number) => string): string {
  if (stat.mean === null || stat.mean === undefined) return '—';
  return `${format(stat.min ?? stat.mean)} / ${format(stat.mean)} / ${format(stat.max ?? stat.mean)}`;
}

/** Per template: progress, counts, its concurrency limit, and runtime and max RSS of its DONE attempts. */
export function TemplateTable({
  workflowId,
  templates,
  owner,
  onLimitChanged,
}: {
  workflowId: string;
  templates: readonly Template[];
  /** The workflow's owner: only they or an admin may change a limit (when the server needs a token). */
  owner: string | null;
  onLimitChanged: () => void;
}) {
  if (templates.length === 0) return <p className="empty">No task templates.</p>;
  return (
    <table className="table templates">
      <thead>
        <tr>
          <th scope="col">Template</th>
          <th scope="col">Progress</th>
          <th scope="col">Tasks</th>
          <th scope="col">Limit</th>
          <th scope="col">Runtime min / mean / max</th>
          <th scope="col">Max RSS min / mean / max</th>
        </tr>
      </thead>
      <tbody>
        {templates.map((template) => {
          const done = template.statusCounts.byStatus.find((c) => c.status === 'DONE')?.count ?? 0;
          return (
            <tr key={template.name} data-template={template.name}>
              <th scope="row" title={template.commandTemplate}>
                {template.name}
              </th>
              <td className="progress-cell">
                <ProgressBar counts={template.statusCounts.byStatus} total={template.statusCounts.total} />
              </td>
              <td>
                <Link to={taskTableHref(workflowId, { template: template.name })}>
                  {formatNumber(done)} / {formatNumber(template.statusCounts.total)} done
                </Link>
                <div className="small">
                  <StatusCountLinks
                    workflowId={workflowId}
                    counts={template.statusCounts.byStatus}
                    template={template.name}
                    only={['failed', 'retrying']}
                  />
                </div>
              </td>
              <td>
                <TemplateLimit
                  key={template.maxConcurrentlyRunning ?? 'none'}
                  workflowId={workflowId}
                  template={template}
                  owner={owner}
                  onChanged={onLimitChanged}
                />
              </td>
              <td title={`${formatCount(template.usage.doneAttempts, 'DONE attempt')}`}>
                {statText(template.usage.runtimeSeconds, formatDuration)}
              </td>
              <td>{statText(template.usage.maxRssMb, formatMegabytes)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A template's concurrency limit within the workflow; empty means none. */
function TemplateLimit({
  workflowId,
  template,
  owner,
  onChanged,
}: {
  workflowId: string;
  template: Template;
  owner: string | null;
  onChanged: () => void;
}) {
  const notAllowed = whyMayNotControl(useViewer(), owner);
  const [text, setText] = useState(template.maxConcurrentlyRunning?.toString() ?? '');
  const [setLimit, { loading, error }] = useMutation(SetMaxConcurrentlyRunningDocument, {
    onCompleted: onChanged,
  });
  const unchanged = text === (template.maxConcurrentlyRunning?.toString() ?? '');
  return (
    <form
      className="action-group"
      onSubmit={(event) => {
        event.preventDefault();
        void setLimit({
          variables: { workflowId, templateName: template.name, limit: text === '' ? null : Number(text) },
        }).catch(() => undefined);
      }}
    >
      <label>
        <span className="sr-only">Concurrency limit of {template.name}</span>
        <input
          type="number"
          min={0}
          placeholder="none"
          value={text}
          disabled={notAllowed !== null}
          title={notAllowed ?? undefined}
          onChange={(event) => setText(event.target.value)}
          style={{ width: '6em' }}
        />
      </label>
      <button
        type="submit"
        disabled={notAllowed !== null || loading || unchanged}
        title={notAllowed ?? undefined}
      >
        Set
      </button>
      {error ? (
        <span className="error inline" role="alert">
          {isForbidden(error) ? <strong>Not allowed: </strong> : null}
          {error.message}
        </span>
      ) : null}
    </form>
  );
}
