import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { graphql } from '../../gql';
import type { RecordingListQuery, RecordingOrder } from '../../gql/graphql';
import { formatDuration, formatNumber } from '../../format';
import { useQuery } from '../../hooks';
import { Badge, Button, EmptyState, ErrorState, PageHeader, Pagination, Select, Skeleton, Table, TextInput, Time, usePager } from '../../ui';
import { shortUrl } from '../player/timeline';
import { activeFilters, buildFilter, recordingUserId, countryName, deviceLine, EMPTY_FORM, formFromQuery, queryFromForm, type FilterForm, type TriState } from './lib';
import './recordings.css';

const PAGE = 25;

const RecordingList = graphql(`
  query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {
    recordings(siteId: $siteId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id sessionId startedAt durationMs pageViews clicks rageClicks uTurns
          device browser os country entryUrl user
        }
      }
    }
  }
`);

const RecordingSegments = graphql(`
  query RecordingSegments($siteId: ID!) {
    segments(siteId: $siteId, first: 100) { edges { node { id name } } }
  }
`);

type Row = RecordingListQuery['recordings']['edges'][number]['node'];

const ORDER_OPTIONS: { value: RecordingOrder; label: string }[] = [
  { value: 'NEWEST', label: 'Newest first' },
  { value: 'LONGEST', label: 'Longest first' },
  { value: 'MOST_CLICKS', label: 'Most clicks first' },
];
const triOptions = (yes: string, no: string): { value: TriState; label: string }[] => [
  { value: '', label: 'Any' },
  { value: 'yes', label: yes },
  { value: 'no', label: no },
];

function Filters({ siteId, initial, onApply }: { siteId: string; initial: FilterForm; onApply: (f: FilterForm) => void }) {
  const [f, setF] = useState<FilterForm>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof FilterForm, string>>>({});
  const segments = useQuery(RecordingSegments, { siteId });
  useEffect(() => setF(initial), [JSON.stringify(initial)]);
  const set = <K extends keyof FilterForm>(k: K) => (v: FilterForm[K]) => setF((x) => ({ ...x, [k]: v }));
  const submit = (e: Event) => {
    e.preventDefault();
    const { errors } = buildFilter(f);
    setErrors(errors);
    if (Object.keys(errors).length === 0) onApply(f);
  };
  const segmentOptions = [
    { value: '', label: 'Any visitor' },
    ...(segments.data?.segments.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []),
  ];
  if (f.segmentId && !segmentOptions.some((o) => o.value === f.segmentId)) segmentOptions.push({ value: f.segmentId, label: `Segment ${f.segmentId}` });
  return (
    <form class="rec-filters" onSubmit={submit} aria-label="Filter recordings" noValidate>
      <div class="rec-filter-grid">
        <TextInput label="From" type="date" value={f.from} onValue={set('from')} error={errors.from} />
        <TextInput label="To (included)" type="date" value={f.to} onValue={set('to')} error={errors.to} />
        <TextInput label="Min. duration (s)" type="number" min={0} inputMode="numeric" value={f.minSeconds} onValue={set('minSeconds')} error={errors.minSeconds} />
        <TextInput label="Max. duration (s)" type="number" min={0} inputMode="numeric" value={f.maxSeconds} onValue={set('maxSeconds')} error={errors.maxSeconds} />
        <Select
          label="Device"
          value={f.device}
          onValue={set('device')}
          options={[
            { value: '', label: 'Any' },
            { value: 'desktop', label: 'Desktop' },
            { value: 'mobile', label: 'Mobile' },
            { value: 'tablet', label: 'Tablet' },
          ]}
        />
        <TextInput label="Country" placeholder="e.g. FR" maxLength={2} value={f.country} onValue={set('country')} error={errors.country} />
        <TextInput label="Visited URL contains" value={f.url} onValue={set('url')} maxLength={500} />
        <TextInput label="User id" value={f.userId} onValue={set('userId')} maxLength={200} />
        <Select label="Segment" value={f.segmentId} onValue={set('segmentId')} options={segmentOptions} />
        <Select label="Rage clicks" value={f.rage} onValue={set('rage')} options={triOptions('With rage clicks', 'Without')} />
        <Select label="U-turns" value={f.uTurns} onValue={set('uTurns')} options={triOptions('With U-turns', 'Without')} />
        <Select label="Survey response" value={f.response} onValue={set('response')} options={triOptions('With a response', 'Without')} />
        <Select label="Order" value={f.order} onValue={set('order')} options={ORDER_OPTIONS} />
      </div>
      <div class="actions">
        <Button variant="primary" type="submit">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            setF(EMPTY_FORM);
            setErrors({});
            onApply(EMPTY_FORM);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}

function UserCell({ siteId, user }: { siteId: string; user: unknown }) {
  const id = recordingUserId(user);
  if (!id) return <span class="muted">Anonymous</span>;
  return <a href={`/sites/${encodeURIComponent(siteId)}/users/${encodeURIComponent(id)}`}>{id}</a>;
}

export default function RecordingsPage() {
  const { siteId } = useRoute().params as { siteId: string };
  const { query, path, route } = useLocation();
  const form = formFromQuery(query);
  const { filter } = buildFilter(form);
  const pager = usePager();
  const key = JSON.stringify([siteId, filter, form.order]);
  useEffect(() => pager.reset(), [key]);
  const q = useQuery(RecordingList, { siteId, filter, orderBy: form.order, first: PAGE, after: pager.after ?? null });
  const [showFilters, setShowFilters] = useState(activeFilters(form) > 0);
  const rows: Row[] = q.data?.recordings.edges.map((e) => e.node) ?? [];
  const active = activeFilters(form);
  const site = encodeURIComponent(siteId);

  const apply = (f: FilterForm) => route(path + queryFromForm(f), true);

  return (
    <>
      <PageHeader
        title="Recordings"
        actions={
          <Button onClick={() => setShowFilters((s) => !s)} aria-expanded={showFilters ? 'true' : 'false'} aria-controls="rec-filters">
            {showFilters ? 'Hide filters' : 'Filters'}
            {active ? ` (${active})` : ''}
          </Button>
        }
      >
        Sessions of visitors on this site: replay one to see what they saw and did.
      </PageHeader>
      <div id="rec-filters" hidden={!showFilters}>
        <Filters siteId={siteId} initial={form} onApply={apply} />
      </div>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={6} height={44} label="Loading recordings…" />
      ) : rows.length === 0 ? (
        active ? (
          <EmptyState title="No recording matches these filters" action={<Button onClick={() => apply({ ...EMPTY_FORM, order: form.order })}>Clear the filters</Button>}>
            Widen the date range or remove a filter.
          </EmptyState>
        ) : (
          <EmptyState title="No recordings yet" action={<a href={`/sites/${site}`}>Open the site's settings</a>}>
            Turn recording on in the site's settings and make sure its snippet is on your pages; sessions appear here a few seconds after a
            visit.
          </EmptyState>
        )
      ) : (
        <>
          <div aria-busy={q.loading ? 'true' : 'false'}>
            <Table
              caption="Recordings"
              rows={rows}
              rowKey={(r) => r.id}
              columns={[
                {
                  header: 'Started',
                  class: 'nowrap',
                  cell: (r) => (
                    <a href={`/sites/${site}/recordings/${encodeURIComponent(r.id)}`}>
                      <Time value={r.startedAt} />
                    </a>
                  ),
                },
                { header: 'User', cell: (r) => <UserCell siteId={siteId} user={r.user} /> },
                { header: 'Duration', class: 'num', cell: (r) => formatDuration(r.durationMs) },
                { header: 'Pages', class: 'num', cell: (r) => formatNumber(r.pageViews) },
                { header: 'Clicks', class: 'num', cell: (r) => formatNumber(r.clicks) },
                {
                  header: 'Rage clicks',
                  class: 'num',
                  cell: (r) => (r.rageClicks > 0 ? <Badge tone="warn">{formatNumber(r.rageClicks)}</Badge> : <span class="muted">0</span>),
                },
                { header: 'U-turns', class: 'num', cell: (r) => formatNumber(r.uTurns) },
                { header: 'Device', cell: (r) => deviceLine(r.device, r.browser, r.os) || <span class="muted">Unknown</span> },
                { header: 'Country', cell: (r) => (r.country ? <span title={r.country}>{countryName(r.country)}</span> : <span class="muted">—</span>) },
                {
                  header: 'Entry page',
                  cell: (r) =>
                    r.entryUrl ? (
                      <span class="rec-url" title={r.entryUrl}>
                        {shortUrl(r.entryUrl)}
                      </span>
                    ) : (
                      <span class="muted">—</span>
                    ),
                },
              ]}
            />
          </div>
          <Pagination
            pager={pager}
            pageInfo={q.data.recordings.pageInfo}
            pageSize={PAGE}
            totalCount={q.data.recordings.totalCount}
            shown={rows.length}
            label="Recordings pages"
          />
        </>
      )}
    </>
  );
}
