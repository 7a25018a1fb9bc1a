import { useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import {
  SortDirection,
  TaskOrderField,
  TaskStatus,
  TaskTableDocument,
  TaskTableTemplatesDocument,
  type TaskFilter,
  type TaskOrder,
  type TaskTableRowFragment,
} from '../generated/graphql';
import { ErrorMessage, PageQueryState } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { AttributeFilterInput, parseAttributeFilter } from '../components/AttributeFilter';
import { SearchInput } from '../components/SearchInput';
import { formatCount, formatDuration, formatMegabytes, formatNumber } from '../components/format';
import { useLiveRefetch } from '../live/useLiveRefetch';
import { StatusBadge } from '../status/StatusBadge';
import { SetTaskStatusForm } from './TaskActions';
import { downloadCsv, taskCsvChunks } from './taskCsv';

export const TASK_PAGE_SIZE = 100;

const ALL_STATUSES = Object.values(TaskStatus);
const SORT_FIELDS = Object.values(TaskOrderField);

/** Numbers read best largest first; names and statuses alphabetically. */
const FIRST_DIRECTION: Record<TaskOrderField, SortDirection> = {
  ID: SortDirection.Asc,
  NAME: SortDirection.Asc,
  STATUS: SortDirection.Asc,
  ATTEMPTS: SortDirection.Desc,
  RUNTIME: SortDirection.Desc,
  MAX_RSS: SortDirection.Desc,
};

/** `status=ERROR_FATAL,DONE` (or the parameter repeated), unknown names dropped. */
function statusesOf(params: URLSearchParams): TaskStatus[] {
  const named = new Set(params.getAll('status').flatMap((value) => value.split(',')));
  return ALL_STATUSES.filter((status) => named.has(status));
}

/** `retrying=true` (only the tasks on a retry) or `retrying=false` (only the others); else either. */
function retryingOf(params: URLSearchParams): boolean | undefined {
  const value = params.get('retrying');
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/**
 * `/workflows/:id/tasks`: every task of a workflow with its last attempt, filtered by status, retrying,
 * template, name and attributes (kept in the query string: `status`, `retrying`, `template`, `search`,
 * `attr`; the sort in `sort` and `dir`),
 * sorted and paged on the server, live, with a CSV download of the whole filtered set and status changes
 * for the selected rows.
 */
export function TaskTablePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const statuses = statusesOf(params);
  const retrying = retryingOf(params);
  const template = params.get('template') ?? '';
  const search = params.get('search') ?? '';
  const attributeText = params.get('attr') ?? '';
  const attributes = parseAttributeFilter(attributeText);
  const sortParam = params.get('sort') as TaskOrderField | null;
  const field = sortParam && SORT_FIELDS.includes(sortParam) ? sortParam : TaskOrderField.Id;
  const direction = params.get('dir') === SortDirection.Desc ? SortDirection.Desc : SortDirection.Asc;

  const filter: TaskFilter = {
    ...(statuses.length ? { status: statuses } : {}),
    ...(retrying === undefined ? {} : { retrying }),
    ...(template ? { template } : {}),
    ...(search ? { search } : {}),
    ...(attributes ? { attributes } : {}),
  };
  const orderBy: TaskOrder = { field, direction };

  // Cursors of the pages up to this one; a new filter or order starts over (and drops the selection).
  const listKey = JSON.stringify([filter, orderBy]);
  const [paging, setPaging] = useState({ listKey, cursors: [null] as (string | null)[] });
  const cursors = paging.listKey === listKey ? paging.cursors : [null];
  const after = cursors[cursors.length - 1] ?? null;
  const [selection, setSelection] = useState({ listKey, ids: new Set<string>() });
  const selected = selection.listKey === listKey ? selection.ids : new Set<string>();
  const setSelected = (ids: Set<string>) => setSelection({ listKey, ids });

  const { data, previousData, error, loading, refetch } = useQuery(TaskTableDocument, {
    variables: { id, filter, orderBy, first: TASK_PAGE_SIZE, after },
  });
  const templates = useQuery(TaskTableTemplatesDocument, { variables: { id } });
  const shown = data ?? previousData;

  // Any task of the workflow changing status refreshes the page shown, at most once a second.
  useLiveRefetch({
    page: `tasks:${id}`,
    workflowId: shown?.workflow?.id,
    taskId: null,
    since: shown?.workflow?.lastEventId,
    refetch,
    intervalMs: 1000,
  });

  const client = useApolloClient();
  const [csv, setCsv] = useState<{ running: boolean; done: number; error: string | null }>({
    running: false,
    done: 0,
    error: null,
  });
  const downloadAll = () => {
    setCsv({ running: true, done: 0, error: null });
    const chunks = taskCsvChunks(client, id, filter, orderBy, (done) =>
      setCsv((state) => ({ ...state, done })),
    );
    downloadCsv(chunks, `workflow-${id}-tasks.csv`).then(
      () => setCsv((state) => ({ ...state, running: false })),
      (reason: unknown) =>
        setCsv((state) => ({
          ...state,
          running: false,
          error: reason instanceof Error ? reason.message : String(reason),
        })),
    );
  };

  const setParam = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next, { replace: true });
  };
  const toggleStatus = (status: TaskStatus, on: boolean) => {
    const next = on ? [...statuses, status] : statuses.filter((s) => s !== status);
    setParam({ status: ALL_STATUSES.filter((s) => next.includes(s)).join(',') || null });
  };
  const sortBy = (next: TaskOrderField) => {
    const nextDirection =
      next === field
        ? direction === SortDirection.Asc
          ? SortDirection.Desc
          : SortDirection.Asc
        : FIRST_DIRECTION[next];
    setParam({
      sort: next === TaskOrderField.Id && nextDirection === SortDirection.Asc ? null : next,
      dir: nextDirection === SortDirection.Desc ? SortDirection.Desc : null,
    });
  };

  const workflow = shown?.workflow;
  const title = (
    <PageTitle>
      {workflow ? `Tasks of ${workflow.name || `workflow ${id}`}` : `Tasks of workflow ${id}`}
    </PageTitle>
  );
  // With something shown, a later error is shown with it (below), not instead of it.
  if (!workflow)
    return (
      <PageQueryState
        title={title}
        what={`the tasks of workflow ${id}`}
        error={shown ? null : error}
        loaded={!!shown}
        notFound={{ what: 'Workflow', id }}
      />
    );
  const tasks = workflow.tasks;
  const pageIds = tasks.nodes.map((task) => task.id);
  const allOnPage = pageIds.length > 0 && pageIds.every((taskId) => selected.has(taskId));
  const selectedIds = [...selected];

  const header = (label: string, sortField: TaskOrderField | null, className?: string) => {
    if (!sortField)
      return (
        <th scope="col" className={className}>
          {label}
        </th>
      );
    const active = sortField === field;
    return (
      <th
        scope="col"
        className={className}
        aria-sort={active ? (direction === SortDirection.Asc ? 'ascending' : 'descending') : undefined}
      >
        <button type="button" className="sort-button" onClick={() => sortBy(sortField)}>
          {label}
          <span aria-hidden="true">{active ? (direction === SortDirection.Asc ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <section className="task-table-page" aria-labelledby="tasks-title" data-workflow-id={workflow.id}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> /{' '}
        <Link to={`/workflows/${workflow.id}`}>{workflow.name || `workflow ${workflow.id}`}</Link> /{' '}
        <span>tasks</span>
      </nav>
      <h1 id="tasks-title">Tasks</h1>

      <form className="filters task-filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <SearchInput
          value={search}
          placeholder="task name"
          onChange={(value) => setParam({ search: value || null })}
        />
        <AttributeFilterInput value={attributeText} onChange={(value) => setParam({ attr: value || null })} />
        <label>
          Template{' '}
          <select value={template} onChange={(event) => setParam({ template: event.target.value || null })}>
            <option value="">any</option>
            {(templates.data?.workflow?.taskTemplates ?? []).map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
            {template && !templates.data?.workflow?.taskTemplates.some((t) => t.name === template) ? (
              <option value={template}>{template}</option>
            ) : null}
          </select>
        </label>
        <label>
          Retrying{' '}
          <select
            value={retrying === undefined ? '' : String(retrying)}
            onChange={(event) => setParam({ retrying: event.target.value || null })}
          >
            <option value="">either</option>
            <option value="true">on a retry</option>
            <option value="false">not on a retry</option>
          </select>
        </label>
        <fieldset className="status-filter">
          <legend>Status</legend>
          {ALL_STATUSES.map((status) => (
            <label key={status}>
              <input
                type="checkbox"
                checked={statuses.includes(status)}
                onChange={(event) => toggleStatus(status, event.target.checked)}
              />{' '}
              {status.replace(/_/g, ' ')}
            </label>
          ))}
          {statuses.length ? (
            <button type="button" className="link-button" onClick={() => setParam({ status: null })}>
              any status
            </button>
          ) : null}
        </fieldset>
      </form>

      <div className="table-toolbar">
        <span role="status" aria-live="polite">
          {formatCount(tasks.totalCount, 'task')}
          {loading ? ' · updating…' : ''}
        </span>
        <button type="button" onClick={downloadAll} disabled={csv.running || tasks.totalCount === 0}>
          Download CSV
        </button>
        {csv.running ? (
          <span className="muted small" role="status">
            {formatNumber(csv.done)} of {formatCount(tasks.totalCount, 'row')} read…
          </span>
        ) : null}
        {csv.error ? (
          <span className="error inline" role="alert">
            CSV download failed: {csv.error}
          </span>
        ) : null}
      </div>

      <div className="selection-actions" aria-label="Selected tasks">
        <span className="muted">{formatCount(selectedIds.length, 'task')} selected</span>
        <SetTaskStatusForm
          taskIds={selectedIds}
          owner={workflow.createdBy}
          onChanged={() => {
            setSelected(new Set());
            void refetch();
          }}
        />
      </div>

      {error ? <ErrorMessage error={error} what="the latest tasks" /> : null}
      <table className="table task-table">
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input
                type="checkbox"
                aria-label="Select every task of this page"
                checked={allOnPage}
                onChange={(event) => {
                  const next = new Set(selected);
                  for (const taskId of pageIds) {
                    if (event.target.checked) next.add(taskId);
                    else next.delete(taskId);
                  }
                  setSelected(next);
                }}
              />
            </th>
            {header('ID', TaskOrderField.Id)}
            {header('Key', null)}
            {header('Name', TaskOrderField.Name)}
            {header('Template', null)}
            {header('Status', TaskOrderField.Status)}
            {header('Attempts', TaskOrderField.Attempts, 'number')}
            {header('Last error', null)}
            {header('Runtime', TaskOrderField.Runtime, 'number')}
            {header('Max RSS', TaskOrderField.MaxRss, 'number')}
          </tr>
        </thead>
        <tbody>
          {tasks.nodes.map((task) => (
            <TaskRow
              key={task.id}
              task={task}
              selected={selected.has(task.id)}
              onSelect={(on) => {
                const next = new Set(selected);
                if (on) next.add(task.id);
                else next.delete(task.id);
                setSelected(next);
              }}
            />
          ))}
        </tbody>
      </table>
      {tasks.nodes.length === 0 ? <p className="empty">No task matches these filters.</p> : null}
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          disabled={cursors.length <= 1}
          onClick={() => setPaging({ listKey, cursors: cursors.slice(0, -1) })}
        >
          ← Previous
        </button>
        <span className="muted">
          page {cursors.length} of {formatNumber(Math.max(1, Math.ceil(tasks.totalCount / TASK_PAGE_SIZE)))}
        </span>
        <button
          type="button"
          disabled={!tasks.pageInfo.hasNextPage}
          onClick={() => setPaging({ listKey, cursors: [...cursors, tasks.pageInfo.endCursor ?? null] })}
        >
          Next →
        </button>
      </nav>
    </section>
  );
}

function TaskRow({
  task,
  selected,
  onSelect,
}: {
  task: TaskTableRowFragment;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const usage = task.lastAttempt?.usage;
  return (
    <tr data-task-id={task.id} data-status={task.status} aria-selected={selected}>
      <td className="select-cell">
        <input
          type="checkbox"
          aria-label={`Select task ${task.id}`}
          checked={selected}
          onChange={(event) => onSelect(event.target.checked)}
        />
      </td>
      <td>
        <Link to={`/tasks/${task.id}`}>{task.id}</Link>
      </td>
      <td className="task-key">
        <code>{task.key}</code>
      </td>
      <td>
        <Link to={`/tasks/${task.id}`}>{task.name}</Link>
      </td>
      <td>{task.template.name}</td>
      <td>
        <StatusBadge status={task.status} />
      </td>
      <td className="number">
        {task.numAttempts} / {task.maxAttempts}
      </td>
      <td className="last-error" title={task.lastError ?? undefined}>
        {task.lastError ?? '—'}
      </td>
      <td className="number">{formatDuration(usage?.wallSeconds)}</td>
      <td className="number">{formatMegabytes(usage?.maxRssMb)}</td>
    </tr>
  );
}
