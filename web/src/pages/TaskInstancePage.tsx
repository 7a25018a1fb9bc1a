import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router-dom';
import { EntityType, TaskInstancePageDocument } from '../generated/graphql';
import { PageQueryState } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { useLiveRefetch } from '../live/useLiveRefetch';
import { AttemptDetails } from './AttemptDetails';
import { AuditTimeline } from './AuditTimeline';

/** `/task-instances/:id`: one attempt in full, with its own audit timeline; live while its task changes. */
export function TaskInstancePage() {
  const { id = '' } = useParams();
  const { data, error, refetch } = useQuery(TaskInstancePageDocument, { variables: { id } });
  const instance = data?.taskInstance;
  useLiveRefetch({
    page: `task-instance:${id}`,
    workflowId: instance?.task.workflow.id,
    taskId: instance?.task.id,
    since: instance?.lastEventId,
    refetch,
    intervalMs: 500,
  });

  const title = (
    <PageTitle>
      {instance ? `Attempt ${instance.attempt} of ${instance.task.name}` : `Attempt ${id}`}
    </PageTitle>
  );
  if (error || !instance)
    return (
      <PageQueryState
        title={title}
        what={`attempt ${id}`}
        error={error}
        loaded={!!data}
        notFound={{ what: 'Attempt', id }}
      />
    );
  const { task } = instance;
  return (
    <article className="attempt-page" data-task-instance-id={instance.id} data-status={instance.status}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> /{' '}
        <Link to={`/workflows/${task.workflow.id}`}>
          {task.workflow.name || `workflow ${task.workflow.id}`}
        </Link>{' '}
        / <Link to={`/tasks/${task.id}`}>{task.name}</Link> / <span>attempt {instance.attempt}</span>
      </nav>
      <h1>
        Attempt {instance.attempt} of <Link to={`/tasks/${task.id}`}>{task.name}</Link>
      </h1>
      <p className="muted">
        run {instance.workflowRun.id} ({instance.workflowRun.status}) · distributor{' '}
        {instance.distributor
          ? `${instance.distributor.name}${instance.distributor.owner ? ` of ${instance.distributor.owner}` : ''}`
          : (instance.distributorId ?? '—')}
      </p>
      {instance.distributor?.servesAllUsers && (
        <p className="warning" role="note">
          This distributor runs every user&apos;s work (an admin allowed it): commands run as its own
          operating-system user.
        </p>
      )}
      <AttemptDetails attempt={instance} headingLevel={2} />
      <section aria-labelledby="attempt-timeline-title">
        <h2 id="attempt-timeline-title">Timeline</h2>
        <AuditTimeline
          key={instance.statusUpdatedAt}
          entityType={EntityType.TaskInstance}
          entityId={instance.id}
        />
      </section>
    </article>
  );
}
