import type { ComponentChildren } from 'preact';

export interface Column<T> {
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  /** e.g. 'num' (right-aligned), 'nowrap'. */
  class?: string;
}

/** A plain data table; `caption` names it for screen readers (visually hidden unless `showCaption`). */
export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  showCaption,
}: {
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  showCaption?: boolean;
}) {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class={showCaption ? '' : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={c.class}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c, i) => (
                <td key={i} class={c.class}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A small coloured label ("Active", "Revoked"). */
export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

