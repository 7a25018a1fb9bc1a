import { TokenStore } from '../auth/tokenStore';
import type { GraphqlFetch } from './ReportsPage';

/**
 * Runs a report's operation on this page's server (/graphql) with the signed-in token, as is: not through
 * Apollo Client, whose cache would add __typename to every selection and so to every table.
 */
export const fetchGraphqlWithToken: GraphqlFetch = async (params) => {
  const token = new TokenStore().token;
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(params),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
};
