import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api';
import type { TypedDocumentString } from './gql/graphql';

export interface QueryState<R> {
  data: R | undefined;
  error: unknown;
  loading: boolean;
  /** Runs the query again (keeps the old data on screen meanwhile). */
  reload: () => void;
}

/**
 * Runs `doc` with `variables` and again whenever they change (compared as JSON).
 * Pass `skip` to wait (e.g. until an id is known). Late answers of older variables are dropped.
 */
export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V, skip = false): QueryState<R> {
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ data?: R; error?: unknown; loading: boolean }>({ loading: !skip });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (skip) return;
    const mine = ++seq.current;
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    (request as (d: TypedDocumentString<R, V>, v: V) => Promise<R>)(doc, JSON.parse(key) as V).then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error: unknown) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [doc, key, tick, skip]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A mutation's pending state and error, for one form or button. */
export function useMutation<R, V>(doc: TypedDocumentString<R, V>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(
    async (variables: V): Promise<R | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await (request as (d: TypedDocumentString<R, V>, v: V) => Promise<R>)(doc, variables);
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [doc],
  );
  return { run, pending, error, clearError: () => setError(undefined) };
}

/** Sets the document title for the page ("Sites · Loupe"). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Loupe` : 'Loupe';
  }, [title]);
}
