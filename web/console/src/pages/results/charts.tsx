// Hand-written SVG charts (no library): each is an <svg role="img"> whose label says the
// numbers, with the numbers also printed on the chart. Text is set as text nodes only.
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../../format';
import { pct } from './lib';

export const COLORS = {
  promoter: '#1f7a3f',
  passive: '#8a94a3',
  detractor: '#b42318',
  bar: '#2457c5',
  positive: '#1f7a3f',
  neutral: '#8a94a3',
  negative: '#b42318',
};

/** Horizontal bars, one per label, with count and share. */
export function BarChart({ items, total, label }: { items: { label: string; count: number }[]; total: number; label: string }) {
  const W = 460;
  const row = 30;
  const labelW = 150;
  const barMax = W - labelW - 90;
  const max = Math.max(1, ...items.map((i) => i.count));
  const H = items.length * row + 4;
  const summary = `${label}: ${items.map((i) => `${i.label} ${i.count} (${formatPercent(pct(i.count, total), 0)})`).join('; ')}`;
  return (
    <div class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {items.map((it, i) => {
          const y = i * row + 4;
          const w = Math.max(it.count > 0 ? 2 : 0, (it.count / max) * barMax);
          const text = it.label.length > 22 ? it.label.slice(0, 21) + '…' : it.label;
          return (
            <g key={i}>
              <text x={labelW - 8} y={y + 15} text-anchor="end">
                {text}
              </text>
              <rect x={labelW} y={y + 2} width={barMax} height={row - 10} fill="#eef1f5" rx="3" />
              <rect x={labelW} y={y + 2} width={w} height={row - 10} fill={COLORS.bar} rx="3" />
              <text x={labelW + barMax + 8} y={y + 15}>
                {formatNumber(it.count)} · {formatPercent(pct(it.count, total), 0)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Columns per scale value (NPS 0–10, rating 1–5/7), coloured by NPS group when `nps`. */
export function ColumnChart({ values, label, nps }: { values: { value: number; count: number }[]; label: string; nps?: boolean }) {
  const W = 460;
  const H = 160;
  const top = 18;
  const bottom = 24;
  const max = Math.max(1, ...values.map((v) => v.count));
  const n = Math.max(1, values.length);
  const slot = W / n;
  const bw = Math.min(40, slot * 0.7);
  const colour = (v: number) => (!nps ? COLORS.bar : v >= 9 ? COLORS.promoter : v >= 7 ? COLORS.passive : COLORS.detractor);
  const summary = `${label}: ${values.map((v) => `${v.value}: ${v.count}`).join(', ')}`;
  return (
    <div class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line class="axis" x1="0" x2={W} y1={H - bottom} y2={H - bottom} />
        {values.map((v, i) => {
          const h = (v.count / max) * (H - top - bottom);
          const x = i * slot + (slot - bw) / 2;
          return (
            <g key={v.value}>
              <rect x={x} y={H - bottom - h} width={bw} height={h} fill={colour(v.value)} rx="2" />
              {v.count > 0 ? (
                <text x={x + bw / 2} y={H - bottom - h - 4} text-anchor="middle">
                  {formatNumber(v.count)}
                </text>
              ) : null}
              <text x={x + bw / 2} y={H - 6} text-anchor="middle" class="muted-text">
                {v.value}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** One bar split in parts (NPS groups, sentiment), with a legend of counts and shares. */
export function StackedBar({ parts, label }: { parts: { label: string; count: number; color: string }[]; label: string }) {
  const total = parts.reduce((a, p) => a + p.count, 0);
  const W = 460;
  let x = 0;
  const summary = `${label}: ${parts.map((p) => `${p.label} ${p.count} (${formatPercent(pct(p.count, total), 0)})`).join('; ')}`;
  return (
    <div class="chart">
      <svg viewBox={`0 0 ${W} 28`} role="img" aria-label={summary}>
        <rect x="0" y="2" width={W} height="24" fill="#eef1f5" rx="4" />
        {parts.map((p) => {
          const w = total ? (p.count / total) * W : 0;
          const r = (
            <rect key={p.label} x={x} y="2" width={w} height="24" fill={p.color}>
              <title>{`${p.label}: ${p.count}`}</title>
            </rect>
          );
          x += w;
          return r;
        })}
      </svg>
      <ul class="legend" aria-hidden="true">
        {parts.map((p) => (
          <li key={p.label}>
            <span class="swatch" style={{ background: p.color }} />
            {p.label}: {formatNumber(p.count)} ({formatPercent(pct(p.count, total), 0)})
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface TrendPoint {
  from: string;
  to: string;
  score: number | null;
  answers: number;
}

/** The NPS over time: −100…100, a point per bucket, gaps where a bucket had no answers. */
export function TrendChart({ points, label }: { points: TrendPoint[]; label: string }) {
  const W = 460;
  const H = 190;
  const left = 40;
  const right = 10;
  const top = 12;
  const bottom = 30;
  const n = points.length;
  const xAt = (i: number) => left + (n <= 1 ? 0 : (i / (n - 1)) * (W - left - right));
  const yAt = (s: number) => top + ((100 - s) / 200) * (H - top - bottom);
  const segments: string[] = [];
  let cur = '';
  points.forEach((p, i) => {
    if (p.score == null) {
      if (cur) segments.push(cur);
      cur = '';
      return;
    }
    cur += `${cur ? 'L' : 'M'}${xAt(i).toFixed(1)},${yAt(p.score).toFixed(1)}`;
  });
  if (cur) segments.push(cur);
  const summary = `${label}: ${points
    .map((p) => `${formatDate(p.from)}: ${p.score == null ? 'no answers' : Math.round(p.score)}`)
    .join('; ')}`;
  // Three labels (first, middle, last), or the two ends with their times when the span is under two days.
  const span = n ? new Date(points[n - 1]!.to).getTime() - new Date(points[0]!.from).getTime() : 0;
  const short = span < 2 * 24 * 3600 * 1000;
  const when = (iso: string) => (short ? formatDateTime(iso) : formatDate(iso));
  const labelled = new Set(short ? [0, n - 1] : [0, Math.floor((n - 1) / 2), n - 1]);
  return (
    <div class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {[100, 50, 0, -50, -100].map((v) => (
          <g key={v}>
            <line class="axis" x1={left} x2={W - right} y1={yAt(v)} y2={yAt(v)} stroke-dasharray={v === 0 ? undefined : '3 4'} />
            <text x={left - 6} y={yAt(v) + 4} text-anchor="end" class="muted-text">
              {v}
            </text>
          </g>
        ))}
        {segments.map((d, i) => (
          <path key={i} d={d} fill="none" stroke={COLORS.bar} stroke-width="2.5" />
        ))}
        {points.map((p, i) =>
          p.score == null ? null : (
            <circle key={i} cx={xAt(i)} cy={yAt(p.score)} r="4" fill={COLORS.bar}>
              <title>{`${formatDate(p.from)}–${formatDate(p.to)}: NPS ${Math.round(p.score)} (${p.answers} answers)`}</title>
            </circle>
          ),
        )}
        {points.map((p, i) =>
          labelled.has(i) ? (
            <text key={`l${i}`} x={xAt(i)} y={H - 8} text-anchor={i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'} class="muted-text">
              {when(i === n - 1 ? p.to : p.from)}
            </text>
          ) : null,
        )}
      </svg>
    </div>
  );
}
