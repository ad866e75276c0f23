// The console's only way to the server: POST /graphql with the session cookie and the CSRF
// header. Every error becomes an `ApiError` with the server's stable `extensions.code`.
import type { TypedDocumentString } from './gql/graphql';

/** An error a page can act on: `code` is the server's `extensions.code` (or NETWORK / HTTP_nnn). */
export class ApiError extends Error {
  readonly code: string;
  /** The input field the server blamed (`extensions.field`), if any. */
  readonly field: string | undefined;
  /** Seconds to wait (RATE_LIMITED), if the server said. */
  readonly retryAfter: number | undefined;

  constructor(code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/** Paths that render without a session: an UNAUTHENTICATED answer there is the page's business. */
export function isPublicPath(path: string): boolean {
  return path === '/signin' || path === '/setup' || path.startsWith('/invite/');
}

/** Where to go to sign in, coming back to `here` afterwards. */
export function signInUrl(here: string): string {
  return here && here !== '/' && !isPublicPath(here.split('?')[0]!)
    ? `/signin?next=${encodeURIComponent(here)}`
    : '/signin';
}

/**
 * The CSRF cookie's value (`__Host-loupe_csrf` over HTTPS, `loupe_csrf` over plain HTTP), or
 * "1" when there is none (bearer-token dev setups).
 */
export function csrfToken(cookie: string = typeof document === 'undefined' ? '' : document.cookie): string {
  for (const name of ['__Host-loupe_csrf', 'loupe_csrf']) {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) {
        const v = decodeURIComponent(part.slice(eq + 1).trim());
        if (v) return v;
      }
    }
  }
  return '1';
}

interface GraphQLErrorBody {
  message?: string;
  extensions?: { code?: string; field?: string; retryAfter?: number };
}

/** Turns a GraphQL answer's first error (or a bad HTTP status) into an ApiError. */
export function toApiError(status: number, body: unknown, retryAfterHeader?: string | null): ApiError {
  const errors = (body as { errors?: GraphQLErrorBody[] } | null)?.errors;
  const retry = retryAfterHeader ? Number(retryAfterHeader) : undefined;
  if (Array.isArray(errors) && errors.length > 0) {
    const e = errors[0]!;
    const code = e.extensions?.code ?? 'INTERNAL';
    return new ApiError(code, e.message ?? code, e.extensions?.field, e.extensions?.retryAfter ?? retry);
  }
  const rest = body as { error?: string; message?: string } | null;
  if (rest && typeof rest.error === 'string')
    return new ApiError(rest.error.toUpperCase(), rest.message ?? rest.error, undefined, retry);
  if (status === 401) return new ApiError('UNAUTHENTICATED', 'Please sign in.');
  if (status === 429) return new ApiError('RATE_LIMITED', 'Too many requests; try again shortly.', undefined, retry);
  return new ApiError(`HTTP_${status}`, `The server answered ${status}.`);
}

type Vars<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

/** Called when a request finds no valid session (default: go to the sign-in page). */
let onUnauthenticated = (): void => {
  const here = location.pathname + location.search;
  if (!isPublicPath(location.pathname)) location.assign(signInUrl(here));
};
/** Tests and the sign-in page may replace what happens on UNAUTHENTICATED. */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

/** Runs a typed operation; throws ApiError. */
export async function request<R, V>(doc: TypedDocumentString<R, V>, ...[variables]: Vars<V>): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
      body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('NETWORK', 'Loupe cannot be reached. Check your connection and try again.');
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON: handled below by status */
  }
  const data = (body as { data?: R | null } | null)?.data;
  const hasErrors = Array.isArray((body as { errors?: unknown[] } | null)?.errors);
  if (!res.ok || hasErrors || data == null) {
    const err = toApiError(res.status, body, res.headers.get('Retry-After'));
    if (err.code === 'UNAUTHENTICATED') onUnauthenticated();
    throw err;
  }
  return data;
}

/** A message fit for people, for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'FORBIDDEN':
        return 'Your role does not allow this. Ask an admin of your organization.';
      case 'PLAN_REQUIRED':
        return `${e.message} (This needs a higher plan.)`;
      case 'RATE_LIMITED':
        return e.retryAfter ? `Too many requests; try again in ${e.retryAfter} s.` : 'Too many requests; try again shortly.';
      default:
        return e.message;
    }
  }
  return e instanceof Error ? e.message : String(e);
}
