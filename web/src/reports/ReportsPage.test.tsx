/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useEffect } from 'react';
import { ViewerContext, type Viewer } from '../auth/viewer';
import { ReportsDocument, Role, SaveReportDocument } from '../generated/graphql';
import { renderWithApollo } from '../testing/renderWithApollo';
import { REPORT_LIST_SIZE } from './SavedReports';
import { ReportsPage, type GraphqlFetch, type ReportEditorProps } from './ReportsPage';
import { MAX_SHOWN_ROWS } from './ResultTableView';

// The reports page around its editor: GraphiQL (Monaco) does not run in jsdom, so a stand-in editor
// shows what the page gives it and runs its query through the page's fetcher. GraphiQL itself is covered
// in Chromium (e2e/src/web/reports.e2e.test.ts).

function FakeEditor(props: ReportEditorProps) {
  useEffect(() => props.onEditQuery(props.initialQuery), [props]);
  return (
    <div>
      <pre data-testid="editor-query" data-key={props.documentKey}>
        {props.initialQuery}
      </pre>
      <pre data-testid="editor-variables">{props.initialVariables}</pre>
      <button
        type="button"
        onClick={() =>
          void props.fetcher({
            query: props.initialQuery,
            variables: props.initialVariables ? (JSON.parse(props.initialVariables) as never) : null,
          })
        }
      >
        Run
      </button>
    </div>
  );
}

const report = (id: string, name: string, owner: string | null, example = false) => ({
  __typename: 'Report' as const,
  id,
  name,
  description: `${name} description`,
  query: `query Q${id} { workflows { nodes { id } } }`,
  variables: example ? { workflowId: '1' } : null,
  owner,
  example,
  updatedAt: '2026-12-01T00:00:00.000Z',
});

const LIST = [
  report('1', 'Failed tasks by template', null, true),
  report('4', 'mine', 'alice'),
  report('5', 'bobs', 'bob'),
];

const listMock = (nodes = LIST) => ({
  request: { query: ReportsDocument, variables: { first: REPORT_LIST_SIZE } },
  result: {
    data: {
      reports: {
        __typename: 'ReportConnection' as const,
        totalCount: nodes.length,
        pageInfo: { __typename: 'PageInfo' as const, hasNextPage: false, endCursor: null },
        nodes,
      },
    },
  },
});

/** jsdom's Blob has no text(). */
const readBlob = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });

const alice: Viewer = { authRequired: true, user: 'alice', role: Role.User };

function renderPage(
  fetchGraphql: GraphqlFetch,
  mocks: NonNullable<Parameters<typeof renderWithApollo>[1]>['mocks'] = [listMock()],
) {
  return renderWithApollo(
    <ViewerContext.Provider value={alice}>
      <ReportsPage Editor={FakeEditor} fetchGraphql={fetchGraphql} />
    </ViewerContext.Provider>,
    { mocks },
  );
}

describe('ReportsPage', () => {
  it('lists saved reports, lets the viewer delete only their own, and opens one in the editor', async () => {
    renderPage(jest.fn());
    const list = await screen.findByRole('navigation', { name: 'Saved reports' });
    await within(list).findByText('mine');
    // Examples and other people's reports cannot be deleted by alice.
    expect(
      within(list)
        .getAllByRole('button', { name: /^Delete / })
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Delete mine']);
    expect(within(list).getByText('example')).toBeTruthy();
    fireEvent.click(within(list).getByRole('button', { name: 'Failed tasks by template' }));
    await waitFor(() => expect(screen.getByTestId('editor-query').textContent).toBe(LIST[0]!.query));
    expect(JSON.parse(screen.getByTestId('editor-variables').textContent!)).toEqual({ workflowId: '1' });
    expect((screen.getByLabelText('Report name') as HTMLInputElement).value).toBe('Failed tasks by template');
    // An example is saved as a copy only.
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.getByText(/An example: save a copy/)).toBeTruthy();
  });

  it('shows the first list of a result as a table and exports it as CSV and JSON', async () => {
    const fetchGraphql = jest.fn<ReturnType<GraphqlFetch>, Parameters<GraphqlFetch>>(async () => ({
      data: {
        workflow: {
          id: '1',
          tasks: {
            nodes: [
              { id: '7', template: { name: 'fit' }, lastAttempt: { errorMessage: 'boom, again' } },
              { id: '8', template: { name: 'load' }, lastAttempt: null },
            ],
          },
        },
      },
    }));
    const blobs: Blob[] = [];
    const names: string[] = [];
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        blobs.push(blob);
        return 'blob:report';
      },
      revokeObjectURL: () => undefined,
    });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    renderPage(fetchGraphql);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const table = await screen.findByTestId('report-table');
    expect(fetchGraphql).toHaveBeenCalledTimes(1);
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['id', 'template.name', 'lastAttempt.errorMessage', 'lastAttempt']);
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByText('workflow.tasks.nodes')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Report name'), { target: { value: 'my failures' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(names).toEqual(['my-failures.csv', 'my-failures.json']);
    expect(await readBlob(blobs[0]!)).toBe(
      'id,template.name,lastAttempt.errorMessage,lastAttempt\r\n7,fit,"boom, again",\r\n8,load,,\r\n',
    );
    expect(JSON.parse(await readBlob(blobs[1]!))).toEqual([
      { id: '7', 'template.name': 'fit', 'lastAttempt.errorMessage': 'boom, again', lastAttempt: null },
      { id: '8', 'template.name': 'load', 'lastAttempt.errorMessage': null, lastAttempt: null },
    ]);
    click.mockRestore();
  });

  it('draws at most MAX_SHOWN_ROWS rows and says so; the exports keep every row', async () => {
    const rows = Array.from({ length: MAX_SHOWN_ROWS + 5 }, (_, i) => ({ id: String(i) }));
    renderPage(async () => ({ data: { workflows: { nodes: rows } } }));
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const table = await screen.findByTestId('report-table');
    expect(within(table).getAllByRole('row')).toHaveLength(MAX_SHOWN_ROWS + 1);
    expect(screen.getByText(/1005 rows from/).textContent).toContain(`the first ${MAX_SHOWN_ROWS} shown`);
  });

  it('does not show the schema introspection GraphiQL asks for as a result, and shows errors', async () => {
    const fetchGraphql = jest.fn<ReturnType<GraphqlFetch>, Parameters<GraphqlFetch>>(async (params) =>
      params.operationName === 'IntrospectionQuery'
        ? { data: { __schema: { types: [{ name: 'Query' }] } } }
        : { errors: [{ message: 'Cannot query field "nope" on type "Query".' }] },
    );
    let fetcher: GraphqlFetch | undefined;
    const Capture = (props: ReportEditorProps) => {
      fetcher = props.fetcher;
      return null;
    };
    renderWithApollo(<ReportsPage Editor={Capture} fetchGraphql={fetchGraphql} />, { mocks: [listMock()] });
    await waitFor(() => expect(fetcher).toBeDefined());
    await act(async () => {
      await fetcher!({
        query: 'query IntrospectionQuery { __schema { types { name } } }',
        operationName: 'IntrospectionQuery',
      });
    });
    expect(screen.queryByTestId('report-table')).toBeNull();
    await act(async () => {
      await fetcher!({ query: '{ nope }' });
    });
    expect((await screen.findByTestId('report-errors')).textContent).toContain('Cannot query field "nope"');
  });

  it('saves the query and variables as a new report of the viewer, then lists it', async () => {
    const saved = { ...report('9', 'weekly', 'alice'), query: LIST[1]!.query };
    renderPage(jest.fn(), [
      listMock(),
      {
        request: {
          query: SaveReportDocument,
          variables: { input: { id: null, name: 'weekly', query: LIST[1]!.query, variables: null } },
        },
        result: { data: { saveReport: saved } },
      },
      listMock([...LIST, saved]),
    ]);
    const list = await screen.findByRole('navigation', { name: 'Saved reports' });
    fireEvent.click(await within(list).findByRole('button', { name: 'mine' }));
    // Her own report: Save overwrites it, Save as new makes another.
    expect(await screen.findByRole('button', { name: 'Save' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Report name'), { target: { value: 'weekly' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save as new' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved "weekly".');
    await within(list).findByRole('button', { name: 'weekly' });
  });
});
