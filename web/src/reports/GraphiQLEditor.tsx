// Monaco's workers (editor, JSON, GraphQL) bundled by Vite as `?worker` chunks of this app: nothing is
// fetched from a CDN, and the CSP's worker-src 'self' blob: covers them.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { useMemo } from 'react';
import type { ReportEditorProps } from './ReportsPage';

/** Storage for GraphiQL that lasts as long as the page: saved reports, not the browser, keep queries. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

/** GraphiQL with the schema's docs explorer; it starts over (a new key) when a report is opened. */
export function GraphiQLEditor(props: ReportEditorProps) {
  // A fresh store per opened report: nothing of the last one's tabs comes back.
  const storage = useMemo(() => memoryStorage(), [props.documentKey]);
  return (
    <GraphiQL
      key={props.documentKey}
      // The answer as the server sent it: GraphiQL shows its errors as they are.
      fetcher={props.fetcher as GraphiQLProps['fetcher']}
      storage={storage}
      initialQuery={props.initialQuery}
      initialVariables={props.initialVariables}
      onEditQuery={props.onEditQuery}
      onEditVariables={props.onEditVariables}
      defaultEditorToolsVisibility="variables"
      isHeadersEditorEnabled={false}
      visiblePlugin="Documentation Explorer"
    />
  );
}
