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
