// Heatmaps: where visitors click, rage-click, dead-click, move and how far they scroll, drawn
// over the page itself (rebuilt from its newest snapshot) for one page, device and range. The
// element list and the scroll percentages beside the map are its text alternative.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { graphql } from '../../gql';
import type { HeatmapQuery } from '../../gql/graphql';
import { formatNumber, formatPercent, plural } from '../../format';
import { useQuery } from '../../hooks';
import { EmptyState, ErrorState, PageHeader, Select, Skeleton, Time } from '../../ui';
import { useViewer } from '../../viewer';
import { DEVICES, KINDS, RANGES, pageHeight, pagePath, queryFromState, rangeStart, stateFromQuery, type HeatState } from './lib';
import { Stage } from './stage';
import './heatmaps.css';

const HeatmapPages = graphql(`
  query HeatmapPages($siteId: ID!, $from: DateTime) {
    heatmapPages(siteId: $siteId, from: $from, first: 100) { url pageViews clicks }
    site(id: $siteId) { id recordingEnabled heatmapsEnabled }
    segments(siteId: $siteId, first: 100) { edges { node { id name } } }
  }
`);

const Heatmap = graphql(`
  query Heatmap($siteId: ID!, $url: String!, $device: HeatmapDevice!, $kind: HeatmapKind!, $from: DateTime, $segmentId: ID) {
    heatmap(siteId: $siteId, url: $url, device: $device, kind: $kind, from: $from, segmentId: $segmentId) {
      url pageViews clicks documentWidth documentHeight referenceWidth binSize averageFold
      sample { recordings complete }
      points { x y count }
      elements { selector clicks share }
      scroll { depth share }
    }
  }
`);

const HeatmapSnapshot = graphql(`
  query HeatmapSnapshot($siteId: ID!, $url: String!, $device: HeatmapDevice!) {
    heatmapSnapshot(siteId: $siteId, url: $url, device: $device) { recordingId timestamp event }
  }
`);

type HeatmapData = HeatmapQuery['heatmap'];

/** A group of toggle buttons (one pressed), labelled as a whole. */
function Choice<T extends string>({ label, value, options, onValue }: { label: string; value: T; options: { key: T; label: string }[]; onValue: (v: T) => void }) {
  return (
    <div class="hm-choice" role="group" aria-label={label}>
      <span class="hm-choice-label" aria-hidden="true">
        {label}
      </span>
      <div class="hm-choice-buttons">
        {options.map((o) => (
          <button key={o.key} type="button" class="hm-choice-btn" aria-pressed={o.key === value ? 'true' : 'false'} onClick={() => onValue(o.key)}>
            {o.label}
          </button>
        ))}
      </div>
    </div>
  );
}

function ElementList({ data, noun, onHighlight }: { data: HeatmapData; noun: string; onHighlight: (s: string | null) => void }) {
  const [all, setAll] = useState(false);
  const [pinned, setPinned] = useState<string | null>(null);
  const rows = all ? data.elements : data.elements.slice(0, 12);
  if (data.elements.length === 0) return <p class="muted hm-side-empty">No {noun} on an element in this period.</p>;
  return (
    <>
      <table class="table hm-elements">
        <caption class="visually-hidden">Elements by {noun}</caption>
        <thead>
          <tr>
            <th scope="col">Element</th>
            <th scope="col" class="num">
              {noun === 'clicks' ? 'Clicks' : noun[0].toUpperCase() + noun.slice(1)}
            </th>
            <th scope="col" class="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.selector} class={pinned === e.selector ? 'hm-pinned' : undefined}>
              <td>
                <button
                  type="button"
                  class="hm-selector"
                  title="Outline it on the page"
                  aria-pressed={pinned === e.selector ? 'true' : 'false'}
                  onMouseEnter={() => onHighlight(e.selector)}
                  onMouseLeave={() => onHighlight(pinned)}
                  onFocus={() => onHighlight(e.selector)}
                  onBlur={() => onHighlight(pinned)}
                  onClick={() => {
                    const next = pinned === e.selector ? null : e.selector;
                    setPinned(next);
                    onHighlight(next ?? e.selector);
                  }}
                >
                  <code>{e.selector}</code>
                </button>
              </td>
              <td class="num">{formatNumber(e.clicks)}</td>
              <td class="num">
                <span class="hm-share">
                  <span class="hm-share-bar" style={{ width: `${Math.round(e.share * 100)}%` }} />
                </span>
                {formatPercent(e.share * 100, 1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.elements.length > 12 ? (
        <button type="button" class="btn btn-link hm-more" onClick={() => setAll((a) => !a)}>
          {all ? 'Show the top 12' : `Show all ${data.elements.length}`}
        </button>
      ) : null}
    </>
  );
}

function ScrollList({ data }: { data: HeatmapData }) {
  const steps = data.scroll.filter((s) => s.depth % 10 === 0);
  return (
    <>
      <table class="table hm-scroll">
        <caption class="visually-hidden">Share of page views reaching each depth</caption>
        <thead>
          <tr>
            <th scope="col">Depth of the page</th>
            <th scope="col" class="num">
              Page views reaching it
            </th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.depth}>
              <td>{s.depth}%</td>
              <td class="num">
                <span class="hm-share">
                  <span class="hm-share-bar" style={{ width: `${Math.round(s.share * 100)}%` }} />
                </span>
                {formatPercent(s.share * 100, 0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.averageFold != null ? (
        <p class="hm-fold-text">
          Average fold: {formatNumber(Math.round(data.averageFold))} px from the top
          {data.documentHeight > 0 ? ` (${formatPercent((data.averageFold / data.documentHeight) * 100, 0)} of the page)` : ''}.
        </p>
      ) : null}
    </>
  );
}

function Heat({ siteId, state, from, segmentName }: { siteId: string; state: HeatState; from: string; segmentName: string | null }) {
  const device = DEVICES.find((d) => d.key === state.device) ?? DEVICES[0];
  const kind = KINDS.find((k) => k.key === state.kind) ?? KINDS[0];
  const q = useQuery(Heatmap, { siteId, url: state.url, device: device.api, kind: kind.api, from, segmentId: state.segment || null });
  const snap = useQuery(HeatmapSnapshot, { siteId, url: state.url, device: device.api });
  const [highlight, setHighlight] = useState<string | null>(null);
  useEffect(() => setHighlight(null), [kind.key]);
  const data = q.data?.heatmap;
  const scroll = kind.key === 'scroll';
  const height = useMemo(() => (data ? pageHeight(data.documentHeight, data.points, data.binSize, data.averageFold) : 0), [data]);

  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!data || (snap.loading && !snap.data && !snap.error)) return <Skeleton rows={8} height={60} label="Loading the heatmap…" />;
  const snapshot = snap.data?.heatmapSnapshot ?? null;
  const width = data.referenceWidth || device.width;
  const path = pagePath(data.url);
  const total = data.points.reduce((n, p) => n + p.count, 0);
  const label = scroll
    ? `Scroll map of ${path} on ${device.label.toLowerCase()}: how far ${plural(data.pageViews, 'page view')} got; the table beside it gives the share at each 10% of the page.`
    : `${kind.label} heatmap of ${path} on ${device.label.toLowerCase()}: ${plural(total, kind.noun.replace(/s$/, ''), kind.noun)} over ${plural(data.pageViews, 'page view')}; the element list beside it names the elements.`;
  const empty = data.pageViews === 0;

  return (
    <div class="hm-body" aria-busy={q.loading ? 'true' : 'false'}>
      <p class="hm-summary">
        <strong>{plural(data.pageViews, 'page view')}</strong> · {plural(data.clicks, 'click')} · page {formatNumber(width)} × {formatNumber(height)} px
        {snapshot ? (
          <>
            {' '}
            · snapshot of <Time value={snapshot.timestamp} />{' '}
            <a href={`/sites/${encodeURIComponent(siteId)}/recordings/${encodeURIComponent(snapshot.recordingId)}`}>(its recording)</a>
          </>
        ) : null}
      </p>
      {data.sample ? (
        <p class="hm-note" role="status">
          {segmentName ? `Visitors in “${segmentName}”: ` : 'Visitors in this segment: '}computed from {plural(data.sample.recordings, 'recorded session')}
          {data.sample.complete ? '' : ' (the newest ones; the sample was capped)'}. Page views collected without recording are not in a segment's map.
        </p>
      ) : null}
      {empty ? (
        <p class="hm-note" role="status">
          No page views of this page on {device.label.toLowerCase()} in this period: try another device or a longer range.
        </p>
      ) : !snapshot && !snap.loading ? (
        <p class="hm-note" role="status">
          No snapshot of this page on {device.label.toLowerCase()} is stored (recording may be off, or only heatmaps are collected): the heat layer is drawn over a blank page of the
          document's size.
        </p>
      ) : null}
      <div class="hm-layout">
        <Stage
          snapshot={snapshot?.event ?? null}
          width={width}
          height={height}
          bin={data.binSize}
          points={scroll ? [] : data.points}
          scroll={scroll ? data.scroll : null}
          fold={data.averageFold ?? null}
          label={label}
          highlight={scroll ? null : highlight}
        />
        <aside class="hm-side" aria-label={scroll ? 'Scroll depth' : 'Elements'}>
          {scroll ? (
            <>
              <h2>Scroll depth</h2>
              <ScrollList data={data} />
            </>
          ) : (
            <>
              <h2>{kind.key === 'moves' ? 'Most clicked elements' : `Elements by ${kind.noun}`}</h2>
              <p class="muted hm-side-intro">
                {kind.key === 'moves' ? `${plural(total, 'mouse position')} sampled on the map.` : `${plural(total, kind.noun.replace(/s$/, ''), kind.noun)} on the map.`} Hover or focus an element to outline it on the page.
              </p>
              <ElementList key={kind.key} data={data} noun={kind.key === 'moves' ? 'clicks' : kind.noun} onHighlight={setHighlight} />
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

export default function HeatmapsPage() {
  const { siteId } = useRoute().params as { siteId: string };
  const { query, path, route } = useLocation();
  const state = stateFromQuery(query);
  const from = rangeStart(state.days);
  const pages = useQuery(HeatmapPages, { siteId, from });
  const { sites } = useViewer();
  const siteName = sites.find((s) => s.id === siteId)?.name;
  const set = (patch: Partial<HeatState>) => route(path + queryFromState({ ...state, ...patch }), true);
  const list = pages.data?.heatmapPages ?? [];
  const current = state.url || list[0]?.url || '';
  const options = list.map((p) => ({ value: p.url, label: `${pagePath(p.url)} — ${plural(p.pageViews, 'view')}, ${plural(p.clicks, 'click')}` }));
  if (current && !options.some((o) => o.value === current)) options.unshift({ value: current, label: `${pagePath(current)} — no views in this period` });
  const site = pages.data?.site;
  const segments = pages.data?.segments.edges.map((e) => e.node) ?? [];
  const segmentName = segments.find((s) => s.id === state.segment)?.name ?? null;

  return (
    <>
      <PageHeader title="Heatmaps">
        Where visitors{siteName ? ` of ${siteName}` : ''} click, move and how far they scroll, drawn over the page itself.
      </PageHeader>
      {pages.error && !pages.data ? (
        <ErrorState error={pages.error} retry={pages.reload} />
      ) : !pages.data ? (
        <Skeleton rows={6} height={60} label="Loading the pages…" />
      ) : !current ? (
        <EmptyState
          title="No heatmap data yet"
          action={
            <>
              <a href={`/sites/${encodeURIComponent(siteId)}`}>Open the site's settings</a>
              {state.days < 90 ? (
                <button type="button" class="btn" onClick={() => set({ days: 90 })}>
                  Look at the last 90 days
                </button>
              ) : null}
            </>
          }
        >
          {site && !site.recordingEnabled && !site.heatmapsEnabled
            ? 'Turn on recording or heatmaps for this site in its settings, and make sure its snippet is on your pages: pages appear here after their first visits.'
            : site && !site.heatmapsEnabled
              ? 'Heatmaps are turned off for this site: turn on recording or heatmaps for this site in its settings.'
              : 'No page was visited in this period. Turn on recording or heatmaps for this site and make sure its snippet is on your pages, or widen the range.'}
        </EmptyState>
      ) : (
        <>
          <form class="hm-controls" aria-label="Heatmap settings" onSubmit={(e) => e.preventDefault()}>
            <div class="hm-controls-row">
              <div class="hm-page-pick">
                <Select label="Page" value={current} options={options} onValue={(url) => set({ url })} />
              </div>
              <Select
                label="Period"
                value={String(state.days)}
                options={RANGES.map((r) => ({ value: String(r.days), label: r.label }))}
                onValue={(d) => set({ days: Number(d) })}
              />
              <Select
                label="Segment"
                value={state.segment}
                options={[{ value: '', label: 'Every visitor' }, ...segments.map((s) => ({ value: s.id, label: s.name }))]}
                onValue={(segment) => set({ segment })}
              />
            </div>
            <div class="hm-controls-row">
              <Choice label="Device" value={state.device} options={DEVICES} onValue={(device) => set({ device })} />
              <Choice label="Map" value={state.kind} options={KINDS} onValue={(kind) => set({ kind })} />
            </div>
          </form>
          <Heat key={`${current}|${state.device}`} siteId={siteId} state={{ ...state, url: current }} from={from} segmentName={segmentName} />
        </>
      )}
    </>
  );
}
