import { useQuery } from '@apollo/client/react';
import { AuditTimelineDocument, type EntityType } from '../generated/graphql';
import { ErrorMessage, Loading } from '../components/QueryState';
import { formatDateTime } from '../components/format';
import { StatusBadge } from '../status/StatusBadge';

const TIMELINE_PAGE = 200;

/** The status changes of one task or attempt, oldest first (the audit log). */
export function AuditTimeline({ entityType, entityId }: { entityType: EntityType; entityId: string }) {
  const { data, error, loading, fetchMore } = useQuery(AuditTimelineDocument, {
    variables: { filter: { entityType, entityId }, first: TIMELINE_PAGE },
    fetchPolicy: 'cache-and-network',
  });
  if (error) return <ErrorMessage error={error} what="the audit timeline" />;
  if (!data) return loading ? <Loading what="the audit timeline" /> : null;
  const events = data.auditEvents;
  if (events.nodes.length === 0) return <p className="empty">No status changes recorded.</p>;
  return (
    <>
      <ol className="timeline">
        {events.nodes.map((event) => (
          <li key={event.id}>
            <time dateTime={event.at}>{formatDateTime(event.at)}</time>{' '}
            {event.fromStatus ? (
              <StatusBadge status={event.fromStatus} />
            ) : (
              <span className="muted">new</span>
            )}{' '}
            → <StatusBadge status={event.toStatus} />
            {event.reason ? <span className="muted"> {event.reason}</span> : null}
            {event.actor ? <span className="muted small"> by {event.actor}</span> : null}
          </li>
        ))}
      </ol>
      {events.pageInfo.hasNextPage ? (
        <button
          type="button"
          onClick={() =>
            void fetchMore({
              variables: { after: events.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                auditEvents: {
                  ...fetchMoreResult.auditEvents,
                  nodes: [...prev.auditEvents.nodes, ...fetchMoreResult.auditEvents.nodes],
                },
              }),
            })
          }
        >
          Show later events
        </button>
      ) : null}
    </>
  );
}
