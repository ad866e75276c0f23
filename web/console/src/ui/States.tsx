// Loading, empty and error states. Skeletons have fixed heights so content does not jump in.
import type { ComponentChildren } from 'preact';
import { ApiError, errorMessage } from '../api';
import { Button } from './Button';

/** Grey bars of fixed height while data loads; `label` is read by screen readers. */
export function Skeleton({ rows = 3, height = 40, label = 'Loading…' }: { rows?: number; height?: number; label?: string }) {
  return (
    <div class="skeleton" role="status" aria-label={label} style={{ height: `${rows * (height + 8)}px` }}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} class="skeleton-bar" style={{ height: `${height}px` }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {action ? <div class="empty-action">{action}</div> : null}
    </div>
  );
}

/** What went wrong and what to do next; a retry button when `retry` is given. */
export function ErrorState({ error, retry, title = 'This could not be loaded' }: { error: unknown; retry?: () => void; title?: string }) {
  const code = error instanceof ApiError ? error.code : '';
  const advice =
    code === 'NOT_FOUND'
      ? 'It may have been deleted, or it belongs to another organization.'
      : code === 'FORBIDDEN'
        ? 'Your role does not allow this page. Ask an admin of your organization.'
        : code === 'NETWORK'
          ? 'Check that Loupe is running and your connection works, then try again.'
          : 'Try again; if it keeps failing, the server log says why.';
  return (
    <div class="error-state" role="alert">
      <h2>{code === 'NOT_FOUND' ? 'Not found' : title}</h2>
      <p>{errorMessage(error)}</p>
      <p class="muted">{advice}</p>
      {retry && code !== 'NOT_FOUND' && code !== 'FORBIDDEN' ? <Button onClick={retry}>Try again</Button> : null}
    </div>
  );
}

/** An inline error under a form, announced when it appears. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
