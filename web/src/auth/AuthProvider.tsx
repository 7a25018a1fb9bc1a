import { createContext, useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ErrorLike } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import type { ApolloSession } from '../app/apolloClient';
import { ViewerDocument } from '../generated/graphql';
import { isUnauthenticated } from './authErrors';
import { OPEN_MODE, ViewerContext, type Viewer } from './viewer';

/** What the UI shows in place of the pages, or `ready` with the viewer. */
export type AuthScreen =
  | { kind: 'loading' }
  | { kind: 'error'; error: ErrorLike; retry(): void }
  | { kind: 'sign-in'; notice: string | null }
  | { kind: 'ready'; viewer: Viewer };

interface Auth {
  screen: AuthScreen;
  /** Stores a token the server accepted (the sign-in page checked it). */
  signIn(token: string): void;
  signOut(): void;
}

const AuthContext = createContext<Auth>({
  screen: { kind: 'ready', viewer: OPEN_MODE },
  signIn: () => undefined,
  signOut: () => undefined,
});

export function useAuth(): Auth {
  return useContext(AuthContext);
}

/**
 * Asks the server who the viewer is (`viewer`) and decides whether the pages show or the sign-in page
 * does. When the token changes, the socket and the cache are renewed after the commit, once the pages of
 * a session that ended have unmounted, so that they are not refetched without a token.
 */
export function AuthProvider({ session, children }: { session: ApolloSession; children: React.ReactNode }) {
  const { tokens } = session;
  const { token, notice } = useSyncExternalStore(tokens.subscribe, tokens.getState);
  const appliedToken = useRef(token);
  useEffect(() => {
    if (appliedToken.current === token) return;
    appliedToken.current = token;
    // A macrotask later: useQuery lets go of an unmounted page's query in a timeout of its own.
    const timer = setTimeout(() => void session.restart().catch(() => undefined), 0);
    return () => clearTimeout(timer);
  }, [session, token]);

  const query = useQuery(ViewerDocument);
  // During a refetch (after a token change) the last answer stands.
  const known = query.data?.viewer ?? query.previousData?.viewer;
  const refetch = query.refetch;
  const screen = useMemo((): AuthScreen => {
    if (!known) {
      // UNAUTHENTICATED: the stored token was refused; the session ends and Viewer is asked again.
      if (query.error && !isUnauthenticated(query.error))
        return { kind: 'error', error: query.error, retry: () => void refetch().catch(() => undefined) };
      return { kind: 'loading' };
    }
    const viewer: Viewer = { authRequired: known.authRequired, user: known.user, role: known.role };
    if (!viewer.authRequired) return { kind: 'ready', viewer };
    // A token the server has not answered for yet (just signed in): wait for Viewer.
    if (token && !viewer.user) return { kind: 'loading' };
    if (!token || !viewer.user) return { kind: 'sign-in', notice };
    return { kind: 'ready', viewer };
  }, [known, query.error, refetch, token, notice]);

  const auth = useMemo(
    (): Auth => ({ screen, signIn: (t) => tokens.signIn(t), signOut: () => tokens.signOut() }),
    [screen, tokens],
  );
  return (
    <AuthContext.Provider value={auth}>
      <ViewerContext.Provider value={screen.kind === 'ready' ? screen.viewer : OPEN_MODE}>
        {children}
      </ViewerContext.Provider>
    </AuthContext.Provider>
  );
}
