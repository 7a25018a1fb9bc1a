import { useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { PageTitle } from '../components/PageTitle';
import { ViewerDocument } from '../generated/graphql';
import { isUnauthenticated } from './authErrors';

export const TOKEN_REFUSED_MESSAGE = 'This token was not accepted: it is unknown, revoked or expired.';

/**
 * Shown when the server needs a token and none is stored. A pasted token is checked by running `viewer`
 * with it (an explicit header, so the stored token is neither sent nor touched) and stored only when the
 * server knows it.
 */
export function SignInPage({ notice, onSignIn }: { notice: string | null; onSignIn(token: string): void }) {
  const client = useApolloClient();
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const check = async (candidate: string) => {
    setChecking(true);
    setProblem(null);
    try {
      const result = await client.query({
        query: ViewerDocument,
        fetchPolicy: 'no-cache',
        context: { headers: { authorization: `Bearer ${candidate}` } },
      });
      if (result.data?.viewer.user) onSignIn(candidate);
      else setProblem(TOKEN_REFUSED_MESSAGE);
    } catch (error) {
      setProblem(
        isUnauthenticated(error)
          ? TOKEN_REFUSED_MESSAGE
          : `Could not check the token: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <PageTitle>Sign in</PageTitle>
      <h1 id="sign-in-title">Sign in</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p className="muted">
        This server needs an API token. An operator creates one with{' '}
        <code>jobmon token create --user NAME</code>.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const candidate = token.trim();
          if (candidate) void check(candidate);
        }}
      >
        <label>
          API token{' '}
          <input
            type="password"
            name="token"
            autoComplete="off"
            spellCheck={false}
            placeholder="jm_…"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'sign-in-problem' : undefined}
          />
        </label>{' '}
        <button type="submit" disabled={checking || token.trim() === ''}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      {problem ? (
        <p id="sign-in-problem" className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
