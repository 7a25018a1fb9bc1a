/** @jest-environment jsdom */
import { gql } from '@apollo/client';
import { ApolloProvider, useQuery, useSubscription } from '@apollo/client/react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createApolloClient } from '../app/apolloClient';
import { AuthGate, ViewerStatus } from './AuthGate';
import { AuthProvider } from './AuthProvider';
import { FakeAuthServer } from './fakeAuthServer';
import { TOKEN_STORAGE_KEY } from './tokenStore';

// The sign-in flow through the real Apollo Client of the app (its links, its graphql-ws client) against a
// fake API (fakeAuthServer.ts): a page behind the gate runs a query (and optionally a subscription).

const PROBE = gql`
  query Probe {
    probe
  }
`;
const PROBE_EVENTS = gql`
  subscription ProbeEvents {
    probeEvents
  }
`;

function Probe({ subscribe }: { subscribe: boolean }) {
  const { data, error, refetch } = useQuery<{ probe: string }>(PROBE, { fetchPolicy: 'network-only' });
  useSubscription(PROBE_EVENTS, { skip: !subscribe });
  return (
    <div>
      <p data-testid="probe">{data ? 'page shown' : error ? 'page failed' : 'page loading'}</p>
      <button type="button" onClick={() => void refetch().catch(() => undefined)}>
        Reload
      </button>
    </div>
  );
}

function renderApp(server: FakeAuthServer, { subscribe = false } = {}) {
  const session = createApolloClient({
    origin: 'http://jobmon.test',
    fetch: server.fetch,
    webSocketImpl: server.WebSocket,
  });
  return render(
    <ApolloProvider client={session.client}>
      <AuthProvider session={session}>
        <header>
          <ViewerStatus />
        </header>
        <main>
          <AuthGate>
            <Probe subscribe={subscribe} />
          </AuthGate>
        </main>
      </AuthProvider>
    </ApolloProvider>,
  );
}

const ALICE = 'jm_alice_0123456789abcdefghijklmnopqrstuvwxyzABCD';

function authServer(): FakeAuthServer {
  const server = new FakeAuthServer(true);
  server.tokens.set(ALICE, { user: 'alice', role: 'USER' });
  return server;
}

async function signInWith(token: string) {
  fireEvent.change(await screen.findByLabelText('API token'), { target: { value: token } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

const header = () => document.querySelector('header')!.textContent;

beforeEach(() => localStorage.clear());

describe('signing in to the web UI', () => {
  it('in open mode shows the pages at once, sends no token, and says "open mode" in the header', async () => {
    const server = new FakeAuthServer(false);
    renderApp(server);
    expect(await screen.findByText('page shown')).toBeTruthy();
    expect(header()).toBe('open mode');
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(server.requests.map((r) => r.operationName)).toEqual(['Viewer', 'Probe']);
    expect(server.requests.every((r) => r.authorization === null)).toBe(true);
  });

  it('with authentication on and no token shows the sign-in page; a refused token is not stored', async () => {
    const server = authServer();
    renderApp(server);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('jobmon token create --user NAME')).toBeTruthy();
    expect((screen.getByLabelText('API token') as HTMLInputElement).type).toBe('password');

    await signInWith('jm_not_a_known_token');
    expect((await screen.findByRole('alert')).textContent).toContain('This token was not accepted');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(server.requests.at(-1)).toEqual({
      operationName: 'Viewer',
      authorization: 'Bearer jm_not_a_known_token',
    });
    // Still on the sign-in page; the page behind it never ran.
    expect(screen.queryByTestId('probe')).toBeNull();
    expect(server.requests.some((r) => r.operationName === 'Probe')).toBe(false);
  });

  it('signs in with a good token: stored, sent over HTTP and in connection_init, user and role shown', async () => {
    const server = authServer();
    renderApp(server, { subscribe: true });
    await signInWith(`  ${ALICE}\n`);
    expect(await screen.findByText('page shown')).toBeTruthy();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe(ALICE);
    expect(header()).toContain('Signed in as alice (user)');
    expect(server.requests.find((r) => r.operationName === 'Probe')?.authorization).toBe(`Bearer ${ALICE}`);
    await waitFor(() => expect(server.connectionInits).toEqual([{ authorization: `Bearer ${ALICE}` }]));
  });

  it('signs out: forgets the token, shows the sign-in page, and asks the server without a token', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, ALICE);
    const server = authServer();
    renderApp(server);
    expect(await screen.findByText('page shown')).toBeTruthy();
    const before = server.requests.length;

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(screen.queryByText(/session ended/)).toBeNull();
    expect(header()).toBe('');
    // The fresh cache asks who the viewer is, without the token; the page is not refetched.
    await waitFor(() =>
      expect(server.requests.slice(before)).toEqual([{ operationName: 'Viewer', authorization: null }]),
    );
  });

  it('a token revoked during the session (HTTP 401) ends it: back to the sign-in page, saying why', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, ALICE);
    const server = authServer();
    renderApp(server);
    expect(await screen.findByText('page shown')).toBeTruthy();

    server.tokens.delete(ALICE);
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(await screen.findByText(/Your session ended: the token was revoked or expired/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('a stored token refused at start (viewer: UNAUTHENTICATED) shows the sign-in page, saying why', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jm_revoked_while_the_tab_was_closed');
    const server = authServer();
    renderApp(server);
    expect(await screen.findByText(/Your session ended/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(server.requests.map((r) => r.authorization)).toEqual([
      'Bearer jm_revoked_while_the_tab_was_closed',
      null,
    ]);
  });

  it('a WebSocket closed with 4401 ends the session', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, ALICE);
    const server = authServer();
    renderApp(server, { subscribe: true });
    expect(await screen.findByText('page shown')).toBeTruthy();
    await waitFor(() => expect(server.sockets[0]?.subscriptions.size).toBe(1));

    server.tokens.delete(ALICE);
    act(() => server.sockets[0]!.closeFromServer(4401, 'Unauthorized'));
    expect(await screen.findByText(/Your session ended/)).toBeTruthy();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('says so when the server cannot be reached at start, and tries again on request', async () => {
    const server = new FakeAuthServer(false);
    server.unreachable = true;
    renderApp(server);
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load who you are');
    server.unreachable = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('page shown')).toBeTruthy();
  });
});
