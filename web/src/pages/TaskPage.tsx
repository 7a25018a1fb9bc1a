import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router-dom';
import { EntityType, TaskPageDocument } from '../generated/graphql';
import { PageQueryState } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { formatDateTime } from '../components/format';
import { useLiveRefetch } from '../live/useLiveRefetch';
import { StatusBadge } from '../status/StatusBadge';
import { AttemptDetails, ResourcesText } from './AttemptDetails';
import { AuditTimeline } from './AuditTimeline';
import { ResourcesForm, SetTaskStatusForm } from './TaskActions';
import { KeyValueList } from '../components/KeyValueList';

const FINISHED_TASK_STATUSES: ReadonlySet<string> = new Set(['DONE', 'ERROR_FATAL']);
import { BlockReasons } from './BlockReasons';

/** `/tasks/:id`: command, args, resources, edges, the attempts and the task's audit timeline; live. */
export function TaskPage() {
  const { id = '' } = useParams();
  const { data, error, refetch } = useQuery(TaskPageDocument, { variables: { id } });
  const refresh = useLiveRefetch({
    page: `task:${id}`,
    workflowId: data?.task?.workflow.id,
    taskId: id,
    since: data?.task?.lastEventId,
    refetch,
    intervalMs: 500,
  });

  const title = <PageTitle>{data?.task ? `${data.task.name} (task ${id})` : `Task ${id}`}</PageTitle>;
  const task = data?.task;
  if (error || !task)
    return (
      <PageQueryState
        title={title}
        what={`task ${id}`}
        error={error}
        loaded={!!data}
        notFound={{ what: 'Task', id }}
      />
    );

  // A finished task has no next attempt (until someone sets it QUEUED again).
  const finished = FINISHED_TASK_STATUSES.has(task.status);

  return (
    <article className="task-page" data-task-id={task.id} data-status={task.status}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> /{' '}
        <Link to={`/workflows/${task.workflow.id}`}>
          {task.workflow.name || `workflow ${task.workflow.id}`}
        </Link>{' '}
        / <span>task {task.id}</span>
      </nav>
      <header className="page-header">
        <h1>
          {task.name} <StatusBadge status={task.status} />
        </h1>
        <p className="muted">
          template {task.template.name} · key <code>{task.key}</code> · attempts {task.numAttempts} of{' '}
          {task.maxAttempts} · status since {formatDateTime(task.statusUpdatedAt)}
        </p>
        <BlockReasons reasons={task.blockedBy} />
      </header>
      <section aria-labelledby="command-title">
        <h2 id="command-title">Command</h2>
        <pre className="command">{task.command}</pre>
        <dl className="settings">
          <dt>Arguments</dt>
          <dd>
            <KeyValueList value={task.args} />
          </dd>
          <dt>{finished ? 'Requested resources' : 'Requested resources (next attempt)'}</dt>
          <dd>
            <ResourcesText resources={task.resources} />
          </dd>
          <dt>Resource scales</dt>
          <dd>
            {task.resourceScales
              ? `memory +${Math.round((task.resourceScales.memory ?? 0) * 100)}%, runtime +${Math.round((task.resourceScales.runtime ?? 0) * 100)}%`
              : '—'}
          </dd>
          <dt>Fallback queues</dt>
          <dd>{task.fallbackQueues.length ? task.fallbackQueues.join(', ') : '—'}</dd>
          {task.attributes ? (
            <>
              <dt>Attributes</dt>
              <dd>
                <KeyValueList value={task.attributes} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="actions-title">
        <h2 id="actions-title">Actions</h2>
        <div className="actions">
          <SetTaskStatusForm taskIds={[task.id]} owner={task.workflow.createdBy} onChanged={refresh} />
        </div>
        <h3>{finished ? 'Change the resources (used if it runs again)' : 'Resources of the next attempt'}</h3>
        <ResourcesForm
          key={JSON.stringify(task.resources)}
          taskId={task.id}
          resources={task.resources}
          owner={task.workflow.createdBy}
          onChanged={refresh}
        />
      </section>
      <div className="two-columns">
        <TaskLinks title="Upstream" tasks={task.upstream} />
        <TaskLinks title="Downstream" tasks={task.downstream} />
      </div>
      <section aria-labelledby="attempts-title">
        <h2 id="attempts-title">Attempts</h2>
        {task.instances.length === 0 ? <p className="empty">No attempt yet.</p> : null}
        {[...task.instances].reverse().map((attempt) => (
          <AttemptDetails key={attempt.id} attempt={attempt} />
        ))}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <AuditTimeline key={task.statusUpdatedAt} entityType={EntityType.Task} entityId={task.id} />
      </section>
    </article>
  );
}

function TaskLinks({
  title,
  tasks,
}: {
  title: string;
  tasks: readonly { id: string; name: string; status: string }[];
}) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {tasks.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ul className="task-links">
          {tasks.map((t) => (
            <li key={t.id}>
              <StatusBadge status={t.status} /> <Link to={`/tasks/${t.id}`}>{t.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
