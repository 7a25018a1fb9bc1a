import { Link } from 'react-router-dom';
import type { AttemptFieldsFragment, ResourcesFieldsFragment } from '../generated/graphql';
import { Duration } from '../components/Duration';
import { formatDateTime, formatDuration, formatMegabytes } from '../components/format';
import { StatusBadge } from '../status/StatusBadge';

export function ResourcesText({ resources }: { resources: ResourcesFieldsFragment }) {
  const parts = [
    resources.memoryMb !== null && resources.memoryMb !== undefined
      ? formatMegabytes(resources.memoryMb)
      : null,
    resources.cores ? `${resources.cores} ${resources.cores === 1 ? 'core' : 'cores'}` : null,
    resources.runtimeSeconds ? formatDuration(resources.runtimeSeconds) : null,
    resources.queue ? `queue ${resources.queue}` : null,
    resources.extra && Object.keys(resources.extra).length
      ? Object.entries(resources.extra as Record<string, unknown>)
          .map(
            ([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
          )
          .join(' · ')
      : null,
  ].filter(Boolean);
  return <>{parts.length ? parts.join(' · ') : '—'}</>;
}

/** One attempt: status, exit, error, host, times, resources, usage and the output tails. */
export function AttemptDetails({
  attempt,
  headingLevel = 3,
}: {
  attempt: AttemptFieldsFragment;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="attempt" data-attempt-id={attempt.id} data-status={attempt.status}>
      <Heading>
        <Link to={`/task-instances/${attempt.id}`}>Attempt {attempt.attempt}</Link>{' '}
        <StatusBadge status={attempt.status} />
      </Heading>
      <dl className="settings">
        <dt>Exit code</dt>
        <dd>{attempt.exitCode ?? '—'}</dd>
        <dt>Error</dt>
        <dd>
          {attempt.errorKind || attempt.errorMessage ? (
            <>
              {attempt.errorKind ? <strong>{attempt.errorKind}</strong> : null} {attempt.errorMessage}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>Host</dt>
        <dd>
          {attempt.hostname ?? '—'}
          {attempt.backendJobId ? <span className="muted"> · job {attempt.backendJobId}</span> : null}
        </dd>
        <dt>Submitted / started / finished</dt>
        <dd>
          {formatDateTime(attempt.submittedAt)} / {formatDateTime(attempt.startedAt)} /{' '}
          {formatDateTime(attempt.finishedAt)}
          {attempt.startedAt ? (
            <span className="muted">
              {' '}
              (<Duration from={attempt.startedAt} to={attempt.finishedAt} />)
            </span>
          ) : null}
        </dd>
        <dt>Resources given</dt>
        <dd>
          <ResourcesText resources={attempt.resources} />
        </dd>
        <dt>Usage</dt>
        <dd>
          max RSS {formatMegabytes(attempt.usage.maxRssMb)} · wall {formatDuration(attempt.usage.wallSeconds)}{' '}
          · CPU {formatDuration(attempt.usage.cpuSeconds)}
        </dd>
      </dl>
      <OutputTail title="stdout" path={attempt.stdoutPath} text={attempt.stdoutTail} />
      <OutputTail title="stderr" path={attempt.stderrPath} text={attempt.stderrTail} />
    </section>
  );
}

function OutputTail({ title, path, text }: { title: string; path?: string | null; text?: string | null }) {
  return (
    <details className="tail" open={Boolean(text)} data-stream={title}>
      <summary>
        {title} tail {path ? <span className="muted small">({path})</span> : null}
      </summary>
      {text ? (
        <pre tabIndex={0} aria-label={`${title} tail`}>
          {text}
        </pre>
      ) : (
        <p className="empty">Nothing captured.</p>
      )}
    </details>
  );
}
