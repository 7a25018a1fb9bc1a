// Test helpers for other packages' tests (`@jobmon/api/testing`): real servers over fresh databases.
export {
  createTestTokens,
  startTestServer,
  startTestServerWithTokens,
  type TestResponse,
  type TestServer,
} from './server';
export {
  describeEachDatabase,
  openTestDatabase,
  createTestDatabase,
  testDialects,
  mysqlAvailable,
  MYSQL_TEST_URL,
  type TestDatabase,
} from './databases';
export { Relay } from './relay';
export { signalGroup, spawnTracked } from './process-groups';
export {
  bipartite,
  chain,
  echoTemplates,
  independent,
  shellSubmission,
  shellTask,
  shellTemplate,
  submission,
  task,
  uniqueWorkflowArgs,
  type SubmissionFixture,
  type TaskFixture,
  type TemplateFixture,
} from './fixtures';
export { taskCountMismatches, templateEdgeCountMismatches, templateUsageMismatches } from './task-counts';
export { tableNames, tableRowCounts } from './row-counts';
export type { Dialect } from '../db';
