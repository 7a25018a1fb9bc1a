import type { ErrorLike } from '@apollo/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ error, what }: { error: ErrorLike; what: string }) {
  return (
    <div className="error" role="alert">
      <strong>Could not load {what}.</strong> {error.message}
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function NotFound({ what, id }: { what: string; id: string }) {
  return (
    <div className="error" role="alert">
      <strong>
        {what} {id} was not found.
      </strong>
    </div>
  );
}

/**
 * A page's title and, while it has nothing of its own to show, why: the error, the loading message or
 * (loaded without it) that its entity was not found.
 */
export function PageQueryState({
  title,
  what,
  error,
  loaded,
  notFound,
}: {
  /** The page's `<PageTitle>`, the same in every state. */
  title: React.ReactNode;
  /** What the page loads, in the error and loading messages: `task 3`. */
  what: string;
  error?: ErrorLike | null;
  loaded: boolean;
  notFound: { what: string; id: string };
}) {
  return (
    <>
      {title}
      {error ? (
        <ErrorMessage error={error} what={what} />
      ) : loaded ? (
        <NotFound {...notFound} />
      ) : (
        <Loading what={what} />
      )}
    </>
  );
}
