import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { render } from '@testing-library/react';
import { OperationTypeNode } from 'graphql';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { DagLayoutContext } from '../dag/DagLayoutContext';
import { layoutDag, type LayoutInput } from '../dag/dagLayout';

// Component tests: a real Apollo Client whose queries answer from mocks and whose subscriptions are
// pushed by the test (MockSubscriptionLink), inside a router at `route`, with the layout run in-thread.

export function renderWithApollo(
  element: ReactElement,
  {
    mocks = [],
    route = '/',
    path = '*',
    layout = layoutDag,
  }: {
    mocks?: MockLink.MockedResponse[];
    route?: string;
    path?: string;
    layout?: (input: LayoutInput) => ReturnType<typeof layoutDag>;
  } = {},
): { client: ApolloClient; subscriptions: MockSubscriptionLink; container: HTMLElement; unmount(): void } {
  const subscriptions = new MockSubscriptionLink();
  const client = new ApolloClient({
    cache: new InMemoryCache({ typePolicies: { WorkflowTaskTemplate: { keyFields: false } } }),
    link: ApolloLink.split(
      (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
      subscriptions,
      new MockLink(mocks),
    ),
  });
  const view = render(
    <ApolloProvider client={client}>
      <DagLayoutContext.Provider value={layout}>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={element} />
          </Routes>
        </MemoryRouter>
      </DagLayoutContext.Provider>
    </ApolloProvider>,
  );
  return { client, subscriptions, container: view.container, unmount: view.unmount };
}
