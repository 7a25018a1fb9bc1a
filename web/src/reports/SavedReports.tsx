import { useMutation, useQuery } from '@apollo/client/react';
import { useViewer, type Viewer } from '../auth/viewer';
import { ErrorMessage, Loading } from '../components/QueryState';
import { DeleteReportDocument, ReportsDocument, Role, type ReportFieldsFragment } from '../generated/graphql';

/** How many saved reports the list shows (the server pages them). */
export const REPORT_LIST_SIZE = 200;

/** Whether the viewer may overwrite or delete `report`: its owner or an admin, anyone in open mode; never an example. */
export function mayChange(viewer: Viewer, report: Pick<ReportFieldsFragment, 'owner' | 'example'>): boolean {
  if (report.example) return false;
  if (!viewer.authRequired || viewer.role === Role.Admin) return true;
  return viewer.user !== null && report.owner === viewer.user;
}

/** The saved reports (examples first), each to open in the editor; the viewer's own can be deleted. */
export function SavedReports({
  selectedId,
  onOpen,
  onDeleted,
}: {
  selectedId: string | null;
  onOpen(report: ReportFieldsFragment): void;
  onDeleted(id: string): void;
}) {
  const viewer = useViewer();
  const { data, error, refetch } = useQuery(ReportsDocument, { variables: { first: REPORT_LIST_SIZE } });
  const [deleteReport, deletion] = useMutation(DeleteReportDocument);
  if (error) return <ErrorMessage error={error} what="the saved reports" />;
  if (!data) return <Loading what="the saved reports" />;
  const reports = data.reports.nodes;
  return (
    <nav className="saved-reports" aria-label="Saved reports">
      <h2>Saved reports</h2>
      {deletion.error && <ErrorMessage error={deletion.error} what="the report deleted" />}
      <ul>
        {reports.map((report) => (
          <li key={report.id} data-report-id={report.id} aria-current={report.id === selectedId || undefined}>
            <button
              type="button"
              className="link-button"
              onClick={() => onOpen(report)}
              title={report.description ?? ''}
            >
              {report.name}
            </button>
            <span className="report-owner">{report.example ? 'example' : (report.owner ?? 'nobody')}</span>
            {mayChange(viewer, report) && (
              <button
                type="button"
                className="small"
                aria-label={`Delete ${report.name}`}
                onClick={() => {
                  if (!window.confirm(`Delete the report "${report.name}"?`)) return;
                  void deleteReport({ variables: { id: report.id } })
                    .then(() => {
                      onDeleted(report.id);
                      return refetch();
                    })
                    .catch(() => undefined);
                }}
              >
                Delete
              </button>
            )}
          </li>
        ))}
      </ul>
      {data.reports.pageInfo.hasNextPage && (
        <p className="empty">
          The first {reports.length} of {data.reports.totalCount} reports.
        </p>
      )}
    </nav>
  );
}
