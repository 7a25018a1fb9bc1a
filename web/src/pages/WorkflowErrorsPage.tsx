import { useQuery } from '@apollo/client/react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { WorkflowErrorsDocument } from '../generated/graphql';
import { Empty, ErrorMessage, PageQueryState } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { formatDateTime, formatNumber } from '../components/format';
import { AGGREGATE_REFETCH_MS, useLiveRefetch } from '../live/useLiveRefetch';

/** Clusters shown: the biggest first (the server orders them). */
const CLUSTERS = 50;

/**
 * `/workflows/:id/errors`: the workflow's failed attempts grouped by their error (Workflow.errorClusters),
 * most attempts first, each with a real example, its counts, templates, when first and last seen and links
 * to a few of its tasks. `?template=NAME` keeps one template's attempts. Live: a task of the workflow
 * changing status reads the clusters again (at most every AGGREGATE_REFETCH_MS), the filter kept.
 */
export function WorkflowErrorsPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const template = params.get('template') || null;
  const { data, previousData, error, loading, refetch } = useQuery(WorkflowErrorsDocument, {
    variables: { id, templateName: template, first: CLUSTERS },
  });
  const shown = data ?? previousData;
  useLiveRefetch({
    page: `errors:${id}`,
    workflowId: shown?.workflow?.id,
    taskId: null,
    since: shown?.workflow?.lastEventId,
    refetch,
    intervalMs: AGGREGATE_REFETCH_MS,
  });
  const title = <PageTitle>{`Errors of workflow ${id}`}</PageTitle>;
  const workflow = shown?.workflow;
  // With something shown, a later error is shown with it (below), not instead of it.
  if (!workflow)
    return (
      <PageQueryState
        title={title}
        what={`the errors of workflow ${id}`}
        error={shown ? null : error}
        loaded={!!shown}
        notFound={{ what: 'Workflow', id }}
      />
    );
  const templateNames = [...new Set(workflow.taskTemplates.map((t) => t.name))].sort();
  const clusters = workflow.errorClusters;

  return (
    <article className="workflow-errors-page" data-workflow-id={workflow.id} aria-busy={loading}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> /{' '}
        <Link to={`/workflows/${workflow.id}`}>{workflow.name || `workflow ${workflow.id}`}</Link> /{' '}
        <span>errors</span>
      </nav>
      <header className="page-header">
        <h1>Errors</h1>
        <p className="muted">
          Failed attempts grouped by their error message and the end of their stderr: messages that differ
          only in numbers, paths, ids or times are one error.
        </p>
        <label>
          Template{' '}
          <select
            value={template ?? ''}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              if (event.target.value) next.set('template', event.target.value);
              else next.delete('template');
              setParams(next, { replace: true });
            }}
          >
            <option value="">All templates</option>
            {templateNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </header>
      {error ? <ErrorMessage error={error} what="the latest errors" /> : null}
      {clusters.length === 0 ? (
        <Empty>{template ? `No failed attempt of template ${template}.` : 'No failed attempt.'}</Empty>
      ) : (
        <ol className="error-clusters">
          {clusters.map((cluster) => (
            <li
              key={`${cluster.firstAt}:${cluster.representative}`}
              className="error-cluster"
              data-cluster-size={cluster.attempts}
            >
              <p className="error-cluster-counts">
                <strong>
                  {formatNumber(cluster.attempts)} attempt{cluster.attempts === 1 ? '' : 's'}
                </strong>{' '}
                of {formatNumber(cluster.tasks)} task{cluster.tasks === 1 ? '' : 's'} · template
                {cluster.templateNames.length === 1 ? '' : 's'} {cluster.templateNames.join(', ')} · first{' '}
                {formatDateTime(cluster.firstAt)} · last {formatDateTime(cluster.lastAt)}
              </p>
              <pre className="error-cluster-text">{cluster.representative}</pre>
              <p className="error-cluster-samples">
                Tasks:{' '}
                {cluster.sampleTaskIds.map((taskId, i) => (
                  <span key={taskId}>
                    {i > 0 ? ', ' : ''}
                    <Link to={`/tasks/${taskId}`}>task {taskId}</Link>
                  </span>
                ))}
                {cluster.tasks > cluster.sampleTaskIds.length ? ' …' : ''}
              </p>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
