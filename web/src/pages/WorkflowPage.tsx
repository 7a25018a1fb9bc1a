import { useMemo } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { Link, useParams } from 'react-router-dom';
import {
  WorkflowPageDocument,
  WorkflowStatusChangedDocument,
  WorkflowTemplatesDocument,
} from '../generated/graphql';
import { DagView } from '../dag/DagView';
import { Duration } from '../components/Duration';
import { ErrorMessage, Loading, PageQueryState } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { formatCount, formatDateTime } from '../components/format';
import { KeyValueList } from '../components/KeyValueList';
import { useThrottledCallback } from '../components/useThrottledCallback';
import { useWorkflowProgress } from '../live/useWorkflowProgress';
import { ProgressBar } from '../status/ProgressBar';
import { StatusBadge } from '../status/StatusBadge';
import type { StatusCount } from '../status/statusStyle';
import { taskTableHref, TERMINAL_WORKFLOW_STATUSES } from '../status/statusStyle';
import { StatusCountLinks } from '../status/StatusCountLinks';
import { TemplateTable } from './TemplateTable';
import { WorkflowActions } from './WorkflowActions';

/** `/workflows/:id`: header, actions, runs, settings, templates and the live DAG. */
export function WorkflowPage() {
  const { id = '' } = useParams();
  const page = useQuery(WorkflowPageDocument, { variables: { id } });
  const templates = useQuery(WorkflowTemplatesDocument, { variables: { id } });

  // Progress snapshots update the header through the cache; per-template counts are refetched from them.
  const refreshTemplates = useThrottledCallback(() => void templates.refetch(), 1000);
  const refreshPage = useThrottledCallback(() => void page.refetch(), 1000);
  useWorkflowProgress(id, { onProgress: refreshTemplates });
  useSubscription(WorkflowStatusChangedDocument, {
    // Events are handled in onData, not kept in the cache (each would be normalised and broadcast).
    fetchPolicy: 'no-cache',
    variables: { workflowId: id },
    ignoreResults: true,
    onData: refreshPage,
  });

  const templateCounts = useMemo(
    () =>
      new Map<string, readonly StatusCount[]>(
        (templates.data?.workflow?.taskTemplates ?? []).map((t) => [t.name, t.statusCounts.byStatus]),
      ),
    [templates.data],
  );

  const title = <PageTitle>{page.data?.workflow?.name || `Workflow ${id}`}</PageTitle>;
  const workflow = page.data?.workflow;
  if (page.error || !workflow)
    return (
      <PageQueryState
        title={title}
        what={`workflow ${id}`}
        error={page.error}
        loaded={!!page.data}
        notFound={{ what: 'Workflow', id }}
      />
    );
  const finished = TERMINAL_WORKFLOW_STATUSES.has(workflow.status);

  return (
    <article className="workflow-page" data-workflow-id={workflow.id}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> / <span>workflow {workflow.id}</span>
      </nav>
      <header className="page-header">
        <h1>
          {workflow.name || `Workflow ${workflow.id}`} <StatusBadge status={workflow.status} />
        </h1>
        <p className="muted">
          {workflow.tool.name} · <code>{workflow.workflowArgs}</code> · created{' '}
          {formatDateTime(workflow.createdAt)}
          {workflow.createdBy ? ` by ${workflow.createdBy}` : ''} · {finished ? 'took' : 'running for'}{' '}
          <Duration from={workflow.createdAt} to={finished ? workflow.statusUpdatedAt : null} />
        </p>
        {workflow.description ? <p>{workflow.description}</p> : null}
        <nav className="workflow-views" aria-label="Workflow views">
          <Link to={`/workflows/${workflow.id}/tasks`}>Tasks</Link>
          <Link to={`/workflows/${workflow.id}/errors`}>Errors</Link>
          <Link to={`/workflows/${workflow.id}/usage`}>Usage</Link>
          <Link to={`/workflows/${workflow.id}/timeline`}>Timeline</Link>
        </nav>
        <div className="header-progress">
          <ProgressBar counts={workflow.statusCounts.byStatus} total={workflow.statusCounts.total} />
          <span className="muted">
            {workflow.statusCounts.total === 0 ? (
              'no tasks'
            ) : (
              <>
                <Link to={taskTableHref(workflow.id)}>
                  {formatCount(workflow.statusCounts.total, 'task')}
                </Link>
                {': '}
                <StatusCountLinks workflowId={workflow.id} counts={workflow.statusCounts.byStatus} />
              </>
            )}
          </span>
        </div>
        <WorkflowActions
          key={workflow.maxConcurrentlyRunning}
          workflowId={workflow.id}
          status={workflow.status}
          maxConcurrentlyRunning={workflow.maxConcurrentlyRunning}
          owner={workflow.createdBy}
          onChanged={() => {
            void page.refetch();
            void templates.refetch();
          }}
        />
      </header>

      <div className="two-columns">
        <section aria-labelledby="runs-title">
          <h2 id="runs-title">Runs</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">User</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {workflow.runs.map((run) => (
                <tr key={run.id}>
                  <td>{run.id}</td>
                  <td>
                    <StatusBadge status={run.status} />
                    {run.statusReason ? <span className="muted small"> {run.statusReason}</span> : null}
                  </td>
                  <td>{run.user ?? '—'}</td>
                  <td>{formatDateTime(run.createdAt)}</td>
                  <td>
                    <Duration
                      from={run.createdAt}
                      to={
                        ['RUNNING', 'BOUND', 'REGISTERED'].includes(run.status) ? null : run.statusUpdatedAt
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="settings-title">
          <h2 id="settings-title">Settings</h2>
          <dl className="settings">
            <dt>Max concurrently running</dt>
            <dd>{workflow.maxConcurrentlyRunning}</dd>
            <dt>Max attempts</dt>
            <dd>{workflow.maxAttempts}</dd>
            <dt>Fail fast</dt>
            <dd>{workflow.failFast ? 'yes' : 'no'}</dd>
            <dt>Default resources</dt>
            <dd>
              <KeyValueList value={workflow.defaultResources} />
            </dd>
            <dt>Attributes</dt>
            <dd>
              <KeyValueList value={workflow.attributes} />
            </dd>
          </dl>
        </section>
      </div>

      <section aria-labelledby="templates-title">
        <h2 id="templates-title">Task templates</h2>
        {templates.error ? <ErrorMessage error={templates.error} what="the task templates" /> : null}
        {templates.data?.workflow ? (
          <TemplateTable
            workflowId={workflow.id}
            templates={templates.data.workflow.taskTemplates}
            owner={workflow.createdBy}
            onLimitChanged={() => void templates.refetch()}
          />
        ) : templates.loading ? (
          <Loading what="task templates" />
        ) : null}
      </section>

      <section aria-labelledby="dag-title">
        <h2 id="dag-title">DAG</h2>
        <DagView workflowId={workflow.id} templateCounts={templateCounts} />
      </section>
    </article>
  );
}
