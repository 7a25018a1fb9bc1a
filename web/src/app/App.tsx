import { Link, Route, Routes } from 'react-router-dom';
import { WorkflowListPage } from '../pages/WorkflowListPage';
import { WorkflowPage } from '../pages/WorkflowPage';
import { TaskPage } from '../pages/TaskPage';
import { TaskInstancePage } from '../pages/TaskInstancePage';

/** The layout and the routes of SPEC §8. */
export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Jobmon
        </Link>
        <nav aria-label="Main">
          <Link to="/">Workflows</Link>
        </nav>
      </header>
      <main id="main">
        <Routes>
          <Route path="/" element={<WorkflowListPage />} />
          <Route path="/workflows/:id" element={<WorkflowPage />} />
          <Route path="/tasks/:id" element={<TaskPage />} />
          <Route path="/task-instances/:id" element={<TaskInstancePage />} />
          <Route path="*" element={<NoSuchPage />} />
        </Routes>
      </main>
    </>
  );
}

function NoSuchPage() {
  return (
    <div className="error" role="alert">
      <strong>No such page.</strong> <Link to="/">Back to the workflows</Link>
    </div>
  );
}
