import { useState } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  ToolNamesDocument,
  WorkflowListDocument,
  WorkflowStatus,
  WorkflowStatusChangedDocument,
  type WorkflowRowFragment,
} from '../generated/graphql';
import { Duration } from '../components/Duration';
import { Empty, ErrorMessage, Loading } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { AttributeFilterInput, parseAttributeFilter } from '../components/AttributeFilter';
import { SearchInput } from '../components/SearchInput';
import { formatCount, formatDateTime } from '../components/format';
import { useThrottledCallback } from '../components/useThrottledCallback';
import { useWorkflowProgress } from '../live/useWorkflowProgress';
import { ProgressBar } from '../status/ProgressBar';
import { StatusBadge } from '../status/StatusBadge';
import { StatusCountLinks } from '../status/StatusCountLinks';
import { countsByGroup, TERMINAL_WORKFLOW_STATUSES, type StatusGroup } from '../status/statusStyle';

/** The groups a row spells out beside its bar ("3 failed"): the ones somebody has to look at. */
const PROBLEM_GROUPS: readonly StatusGroup[] = ['failed', 'retrying'];

export const PAGE_SIZE = 25;

/** `/`: every workflow, newest first, live; filters and search live in the URL. */
export function WorkflowListPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const tool = params.get('tool') ?? '';
  const user = params.get('user') ?? '';
  const search = params.get('q') ?? '';
  const attributeText = params.get('attr') ?? '';
  const attributes = parseAttributeFilter(attributeText);
  // Cursors of the pages up to this one (Relay connections page forward); a new filter starts over.
  const filterKey = [status, tool, user, search, attributeText].join('\u0000');
  const [paging, setPaging] = useState({ filterKey, cursors: [null] as (string | null)[] });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [null];
  const after = cursors[cursors.length - 1] ?? null;
  const setCursors = (next: (string | null)[]) => setPaging({ filterKey, cursors: next });

  const filter = {
    ...(status ? { status: [status as WorkflowStatus] } : {}),
    ...(tool ? { tool } : {}),
    ...(user ? { user } : {}),
    ...(search ? { search } : {}),
    ...(attributes ? { attributes } : {}),
  };
  const { data, previousData, error, loading, refetch } = useQuery(WorkflowListDocument, {
    variables: { filter, first: PAGE_SIZE, after },
  });
  const tools = useQuery(ToolNamesDocument);

  // A status change anywhere (including a new workflow) refreshes the page, at most once a second.
  const refresh = useThrottledCallback(() => void refetch(), 1000);
  useSubscription(WorkflowStatusChangedDocument, {
    variables: {},
    fetchPolicy: 'no-cache',
    ignoreResults: true,
    onData: refresh,
  });

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const connection = (data ?? previousData)?.workflows;
  return (
    <section aria-labelledby="workflows-title">
      <PageTitle>Workflows</PageTitle>
      <h1 id="workflows-title">Workflows</h1>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <SearchInput
          value={search}
          placeholder="name or workflowArgs"
          onChange={(value) => setFilter('q', value)}
        />
        <label>
          Status{' '}
          <select value={status} onChange={(event) => setFilter('status', event.target.value)}>
            <option value="">any</option>
            {Object.values(WorkflowStatus).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tool{' '}
          <select value={tool} onChange={(event) => setFilter('tool', event.target.value)}>
            <option value="">any</option>
            {(tools.data?.tools ?? []).map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          User <input value={user} onChange={(event) => setFilter('user', event.target.value)} size={12} />
        </label>
        <AttributeFilterInput value={attributeText} onChange={(value) => setFilter('attr', value)} />
      </form>
      {error ? <ErrorMessage error={error} what="the workflows" /> : null}
      {!connection && loading ? <Loading what="workflows" /> : null}
      {connection && connection.nodes.length === 0 ? (
        <Empty>
          {Object.keys(filter).length
            ? 'No workflow matches these filters.'
            : 'No workflows yet. Submit one with `jobmon submit` or the SDK.'}
        </Empty>
      ) : null}
      {connection && connection.nodes.length > 0 ? (
        <>
          <table className="table workflows">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Tool</th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Tasks</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {connection.nodes.map((workflow) => (
                <WorkflowRow key={workflow.id} workflow={workflow} />
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={cursors.length <= 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              ← Newer
            </button>
            <span>
              Page {cursors.length} · {formatCount(connection.totalCount, 'workflow')}
            </span>
            <button
              type="button"
              disabled={!connection.pageInfo.hasNextPage}
              onClick={() => setCursors([...cursors, connection.pageInfo.endCursor ?? null])}
            >
              Older →
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}

function WorkflowRow({ workflow }: { workflow: WorkflowRowFragment }) {
  const finished = TERMINAL_WORKFLOW_STATUSES.has(workflow.status);
  useWorkflowProgress(workflow.id, { skip: finished });
  return (
    <tr data-workflow-id={workflow.id} data-status={workflow.status}>
      <td>{workflow.id}</td>
      <td>{workflow.tool.name}</td>
      <td>
        <Link to={`/workflows/${workflow.id}`}>{workflow.name || `workflow ${workflow.id}`}</Link>
        <div className="muted small" title="workflowArgs">
          {workflow.workflowArgs}
        </div>
      </td>
      <td>
        <StatusBadge status={workflow.status} />
      </td>
      <td className="progress-cell">
        <ProgressBar counts={workflow.statusCounts.byStatus} total={workflow.statusCounts.total} />
        <span className="muted small">
          {formatCount(workflow.statusCounts.total, 'task')}
          {countsByGroup(workflow.statusCounts.byStatus).some((c) => PROBLEM_GROUPS.includes(c.group))
            ? ' · '
            : null}
          <StatusCountLinks
            workflowId={workflow.id}
            counts={workflow.statusCounts.byStatus}
            only={PROBLEM_GROUPS}
          />
        </span>
      </td>
      <td>{formatDateTime(workflow.createdAt)}</td>
      <td>
        <Duration from={workflow.createdAt} to={finished ? workflow.statusUpdatedAt : null} />
      </td>
    </tr>
  );
}

export { parseAttributeFilter };
