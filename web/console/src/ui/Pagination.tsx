// Relay-style connections only go forward (`first`/`after`); "Previous" walks back through the
// cursors seen so far.
import { useCallback, useState } from 'preact/hooks';
import { formatNumber } from '../format';
import { Button } from './Button';

export interface Pager {
  /** The `after` variable for the current page (undefined on the first). */
  after: string | undefined;
  /** 0-based page number. */
  page: number;
  next: (endCursor: string | null | undefined) => void;
  prev: () => void;
  reset: () => void;
}

export function usePager(): Pager {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setStack((s) => [...s, endCursor]);
  }, []);
  const prev = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { after: stack[stack.length - 1], page: stack.length - 1, next, prev, reset };
}

export function Pagination({
  pager,
  pageInfo,
  pageSize,
  totalCount,
  shown,
  label = 'Pages',
}: {
  pager: Pager;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  pageSize: number;
  totalCount?: number;
  /** Rows on this page. */
  shown: number;
  label?: string;
}) {
  if (!pageInfo || (pager.page === 0 && !pageInfo.hasNextPage)) {
    return totalCount != null && totalCount > 0 ? <p class="pagination-count muted">{formatNumber(totalCount)} in all</p> : null;
  }
  const from = pager.page * pageSize + 1;
  const to = pager.page * pageSize + shown;
  return (
    <nav class="pagination" aria-label={label}>
      <span class="muted">
        {formatNumber(from)}–{formatNumber(to)}
        {totalCount != null ? ` of ${formatNumber(totalCount)}` : ''}
      </span>
      <Button onClick={pager.prev} disabled={pager.page === 0}>
        Previous
      </Button>
      <Button onClick={() => pager.next(pageInfo.endCursor)} disabled={!pageInfo.hasNextPage}>
        Next
      </Button>
    </nav>
  );
}
