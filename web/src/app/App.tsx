import { lazy, Suspense } from 'react';
import { Link, Route, Routes } from 'react-router-dom';
import { Loading } from '../components/QueryState';
import { PageTitle } from '../components/PageTitle';
import { AuthGate, ViewerStatus } from '../auth/AuthGate';
import { AuthProvider } from '../auth/AuthProvider';
import type { ApolloSession } from './apolloClient';

// One chunk per route (SPEC §8): the workflow list loads neither React Flow nor the DAG layout.
const WorkflowListPage = lazy(() =>
  import('../pages/WorkflowListPage').then((module) => ({ default: module.WorkflowListPage })),
);
const WorkflowPage = lazy(() =>
  import('../pages/WorkflowPage').then((module) => ({ default: module.WorkflowPage })),
);
const TaskTablePage = lazy(() =>
  import('../pages/TaskTablePage').then((module) => ({ default: module.TaskTablePage })),
);
const WorkflowErrorsPage = lazy(() =>
  import('../pages/WorkflowErrorsPage').then((module) => ({ default: module.WorkflowErrorsPage })),
);
const TaskPage = lazy(() => import('../pages/TaskPage').then((module) => ({ default: module.TaskPage })));
const TaskInstancePage = lazy(() =>
  import('../pages/TaskInstancePage').then((module) => ({ default: module.TaskInstancePage })),
);
const ReportsRoute = lazy(() =>
  import('../reports/ReportsRoute').then((module) => ({ default: module.ReportsRoute })),
);

const UsagePage = lazy(() => import('../usage/UsagePage').then((module) => ({ default: module.UsagePage })));
const TimelinePage = lazy(() =>
  import('../timeline/TimelinePage').then((module) => ({ default: module.TimelinePage })),
);

/** The layout and the routes of SPEC §8, behind the sign-in page when the server needs a token. */
export function App({ session }: { session: ApolloSession }) {
  return (
    <AuthProvider session={session}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Jobmon
        </Link>
        <nav aria-label="Main">
          <Link to="/">Workflows</Link>
          <Link to="/reports">Reports</Link>
        </nav>
        <ViewerStatus />
      </header>
      <main id="main">
        <AuthGate>
          <Suspense fallback={<Loading what="the page" />}>
            <Routes>
              <Route path="/" element={<WorkflowListPage />} />
              <Route path="/workflows/:id" element={<WorkflowPage />} />
              <Route path="/workflows/:id/tasks" element={<TaskTablePage />} />
              <Route path="/workflows/:id/errors" element={<WorkflowErrorsPage />} />
              <Route path="/workflows/:id/usage" element={<UsagePage />} />
              <Route path="/workflows/:id/timeline" element={<TimelinePage />} />
              <Route path="/tasks/:id" element={<TaskPage />} />
              <Route path="/task-instances/:id" element={<TaskInstancePage />} />
              <Route path="/reports" element={<ReportsRoute />} />
              <Route path="*" element={<NoSuchPage />} />
            </Routes>
          </Suspense>
        </AuthGate>
      </main>
    </AuthProvider>
  );
}

function NoSuchPage() {
  return (
    <div className="error" role="alert">
      <PageTitle>No such page</PageTitle>
      <strong>No such page.</strong> <Link to="/">Back to the workflows</Link>
    </div>
  );
}
