import { GraphiQLEditor } from './GraphiQLEditor';
import { fetchGraphqlWithToken } from './graphqlFetch';
import { ReportsPage } from './ReportsPage';

/** `/reports` in the app: the page with GraphiQL as its editor (its own chunk, loaded on this route only). */
export function ReportsRoute() {
  return <ReportsPage Editor={GraphiQLEditor} fetchGraphql={fetchGraphqlWithToken} />;
}
