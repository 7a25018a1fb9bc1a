import { useMutation } from '@apollo/client/react';
import { useCallback, useMemo, useRef, useState, type ComponentType } from 'react';
import { useViewer } from '../auth/viewer';
import { ErrorMessage } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { ReportsDocument, SaveReportDocument, type ReportFieldsFragment } from '../generated/graphql';
import { ResultTableView } from './ResultTableView';
import { mayChange, REPORT_LIST_SIZE, SavedReports } from './SavedReports';

/** What GraphiQL's fetcher is called with. */
export interface GraphqlParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export type GraphqlFetch = (params: GraphqlParams) => Promise<{ data?: unknown; errors?: unknown[] }>;

/** The editor (GraphiQL in the app; a stand-in in component tests, where Monaco does not run). */
export interface ReportEditorProps {
  /** Changes when a report is opened: the editor starts over with its text. */
  documentKey: string;
  initialQuery: string;
  initialVariables: string;
  fetcher: GraphqlFetch;
  onEditQuery(query: string): void;
  onEditVariables(variables: string): void;
}

const BLANK_QUERY = `# Write a GraphQL query, run it (Ctrl-Enter); the first list in its result shows as a table below.
# The Docs panel describes every type and field. Open a saved report on the left to start from one.
query {
  workflows(first: 20) {
    nodes {
      id
      name
      status
      createdBy
      createdAt
    }
  }
}
`;

/** GraphiQL asks for the schema with this operation: its answer is not a report's result. */
const isIntrospection = (params: GraphqlParams) =>
  params.operationName === 'IntrospectionQuery' || /\b__schema\b/.test(params.query);

const variablesText = (variables: unknown) =>
  variables && Object.keys(variables).length ? JSON.stringify(variables, null, 2) : '';

/**
 * `/reports`: a GraphQL report editor (GraphiQL, with the schema's docs) beside the saved reports; the
 * result of each run also shows as a table of its first list, with CSV and JSON exports. A report is saved
 * with its variables under a name (unique among the viewer's reports).
 */
export function ReportsPage({
  Editor,
  fetchGraphql,
}: {
  Editor: ComponentType<ReportEditorProps>;
  fetchGraphql: GraphqlFetch;
}) {
  const viewer = useViewer();
  const [opened, setOpened] = useState<ReportFieldsFragment | null>(null);
  const [documentKey, setDocumentKey] = useState('blank');
  // Opening a report again starts its editor over too (edits since are dropped).
  const opens = useRef(0);
  const [query, setQuery] = useState(BLANK_QUERY);
  const [variables, setVariables] = useState('');
  const [name, setName] = useState('');
  const [result, setResult] = useState<{ data?: unknown; errors?: unknown[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveReport, saving] = useMutation(SaveReportDocument, {
    refetchQueries: [{ query: ReportsDocument, variables: { first: REPORT_LIST_SIZE } }],
  });

  const fetcher = useCallback<GraphqlFetch>(
    async (params) => {
      const answer = await fetchGraphql(params);
      if (!isIntrospection(params)) setResult(answer);
      return answer;
    },
    [fetchGraphql],
  );

  const open = (report: ReportFieldsFragment) => {
    setOpened(report);
    setQuery(report.query);
    setVariables(variablesText(report.variables));
    setName(report.name);
    setResult(null);
    setSaved(null);
    setProblem(null);
    opens.current += 1;
    setDocumentKey(`report:${report.id}:${opens.current}`);
  };

  const save = (overwrite: boolean) => {
    setSaved(null);
    setProblem(null);
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = variables.trim() ? (JSON.parse(variables) as Record<string, unknown>) : null;
    } catch (error) {
      setProblem(`The variables are not JSON: ${(error as Error).message}`);
      return;
    }
    if (!name.trim()) {
      setProblem('Give the report a name.');
      return;
    }
    const id = overwrite && opened ? opened.id : null;
    void saveReport({ variables: { input: { id, name, query, variables: parsed } } })
      .then(({ data }) => {
        if (!data) return;
        setOpened(data.saveReport);
        setSaved(`Saved "${data.saveReport.name}".`);
      })
      .catch(() => undefined);
  };

  const canOverwrite = opened !== null && mayChange(viewer, opened);
  const errors = useMemo(() => (result?.errors ?? []) as { message?: string }[], [result]);
  return (
    <div className="reports-page">
      <PageTitle>Reports</PageTitle>
      <div className="reports-layout">
        <SavedReports
          selectedId={opened?.id ?? null}
          onOpen={open}
          onDeleted={(id) => {
            if (opened?.id === id) setOpened(null);
          }}
        />
        <div className="reports-main">
          <form
            className="report-save"
            onSubmit={(event) => {
              event.preventDefault();
              save(canOverwrite);
            }}
          >
            <label>
              Report name{' '}
              <input value={name} onChange={(event) => setName(event.target.value)} maxLength={255} />
            </label>
            <button type="submit" disabled={saving.loading}>
              {canOverwrite ? 'Save' : 'Save as new'}
            </button>
            {canOverwrite && (
              <button type="button" disabled={saving.loading} onClick={() => save(false)}>
                Save as new
              </button>
            )}
            {opened?.example && <span className="hint">An example: save a copy under a name of yours.</span>}
            {saved && (
              <span role="status" className="hint">
                {saved}
              </span>
            )}
          </form>
          {problem && (
            <div className="error" role="alert">
              {problem}
            </div>
          )}
          {saving.error && <ErrorMessage error={saving.error} what="the report saved" />}
          <div className="report-editor">
            <Editor
              documentKey={documentKey}
              initialQuery={query}
              initialVariables={variables}
              fetcher={fetcher}
              onEditQuery={setQuery}
              onEditVariables={setVariables}
            />
          </div>
          {errors.length > 0 && (
            <div className="error" role="alert" data-testid="report-errors">
              {errors.map((error, i) => (
                <div key={i}>{error.message ?? JSON.stringify(error)}</div>
              ))}
            </div>
          )}
          {result && <ResultTableView data={result.data} name={name || 'report'} />}
        </div>
      </div>
    </div>
  );
}
