import { ErrorMessage, Loading } from '../components/QueryState';
import { useAuth } from './AuthProvider';
import { SignInPage } from './SignInPage';
import './auth.css';

/** The pages once the viewer may see them; the sign-in page, or the state of the `viewer` query, before. */
export function AuthGate({ children }: { children: React.ReactNode }) {
  const { screen, signIn } = useAuth();
  switch (screen.kind) {
    case 'ready':
      return children;
    case 'loading':
      return <Loading what="your session" />;
    case 'sign-in':
      return <SignInPage notice={screen.notice} onSignIn={signIn} />;
    case 'error':
      return (
        <>
          <ErrorMessage error={screen.error} what="who you are from the server" />
          <button type="button" onClick={screen.retry}>
            Try again
          </button>
        </>
      );
  }
}

const ROLE_NAMES: Record<string, string> = { USER: 'user', DISTRIBUTOR: 'distributor', ADMIN: 'admin' };

/** The header's end: who is signed in and Sign out; a note in open mode; nothing before it is known. */
export function ViewerStatus() {
  const { screen, signOut } = useAuth();
  if (screen.kind !== 'ready') return null;
  const { viewer } = screen;
  if (!viewer.authRequired)
    return (
      <span
        className="viewer-status open-mode"
        title="Authentication is off: anyone who reaches this server may act on every workflow"
      >
        open mode
      </span>
    );
  return (
    <span className="viewer-status">
      <span>
        Signed in as <strong>{viewer.user}</strong>
        {viewer.role ? ` (${ROLE_NAMES[viewer.role] ?? viewer.role})` : ''}
      </span>
      <button type="button" className="sign-out" onClick={signOut}>
        Sign out
      </button>
    </span>
  );
}
