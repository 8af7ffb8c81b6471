/** Status blocks shared by pages (renderer): loading, error, warning and empty states. */
import type { ReactNode } from 'react';
import type { ApiError } from '../../src-shared/api/types.js';

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorCallout({ error, title = 'Something went wrong', onRetry }: { error: ApiError; title?: string; onRetry?: () => void }) {
  return (
    <div className="callout callout-error" role="alert" data-testid="error-callout">
      <p className="callout-title">
        {title} <code className="error-code">{error.code}</code>
      </p>
      <p>{error.message}</p>
      {error.issues?.length ? (
        <ul>
          {error.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function WarningCallout({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="callout callout-warning" role="note" data-testid="warnings">
      <p className="callout-title">{title}</p>
      <ul>
        {items.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty-state">{children}</p>;
}
