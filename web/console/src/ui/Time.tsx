import { formatDate, formatDateTime, formatDateTimeLong, formatRelative } from '../format';

/** A <time> in the viewer's zone: absolute ("12 Mar 2025, 14:03") or relative ("3 hours ago"). */
export function Time({
  value,
  relative,
  dateOnly,
  empty = '—',
}: {
  value: string | null | undefined;
  relative?: boolean;
  dateOnly?: boolean;
  empty?: string;
}) {
  if (!value) return <span class="muted">{empty}</span>;
  return (
    <time dateTime={value} title={formatDateTimeLong(value)}>
      {relative ? formatRelative(value) : dateOnly ? formatDate(value) : formatDateTime(value)}
    </time>
  );
}
