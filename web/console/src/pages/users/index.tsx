import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { graphql } from '../../gql';
import type { UserListQuery } from '../../gql/graphql';
import { formatNumber } from '../../format';
import { useQuery } from '../../hooks';
import { Button, EmptyState, ErrorState, PageHeader, Pagination, Select, Skeleton, Table, TextInput, Time, usePager } from '../../ui';
import { countryName } from '../recordings/lib';
import { attributeText } from './parts';
import './users.css';

const PAGE = 25;

const UserList = graphql(`
  query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {
    users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          userId firstSeen lastSeen sessions device country
          attributes { name type value stringValue numberValue booleanValue dateValue }
        }
      }
    }
    segments(siteId: $siteId, first: 100) { edges { node { id name } } }
  }
`);

type Row = UserListQuery['users']['edges'][number]['node'];

/** A short line of a user's first attributes ("email: a@b.c · plan: pro"). */
function attributeSummary(u: Row, max = 3): string {
  const preferred = ['email', 'name', 'plan'];
  const sorted = [...u.attributes].sort((a, b) => {
    const ia = preferred.indexOf(a.name);
    const ib = preferred.indexOf(b.name);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.name.localeCompare(b.name);
  });
  return sorted
    .slice(0, max)
    .map((a) => `${a.name}: ${attributeText(a)}`)
    .join(' · ');
}

export default function UsersPage() {
  const { siteId } = useRoute().params as { siteId: string };
  const { query, path, route } = useLocation();
  const segmentId = query.segment ?? '';
  const pager = usePager();
  useEffect(() => pager.reset(), [siteId, segmentId]);
  const q = useQuery(UserList, { siteId, segmentId: segmentId || null, first: PAGE, after: pager.after ?? null });
  const [lookup, setLookup] = useState('');
  const site = encodeURIComponent(siteId);
  const rows: Row[] = q.data?.users.edges.map((e) => e.node) ?? [];
  const segments = q.data?.segments.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? [];

  const open = (e: Event) => {
    e.preventDefault();
    const id = lookup.trim();
    if (id) route(`/sites/${site}/users/${encodeURIComponent(id)}`);
  };

  return (
    <>
      <PageHeader title="Users">
        People your site identified (Identify API), with their attributes, sessions, responses and recordings.
      </PageHeader>
      <div class="search-row">
        <form class="search-row" onSubmit={open} role="search" aria-label="Open a user by id">
          <TextInput label="Open a user by id" value={lookup} onValue={setLookup} maxLength={200} placeholder="The user_id your site sends" />
          <Button type="submit">Open</Button>
        </form>
        <Select
          label="Segment"
          value={segmentId}
          onValue={(v) => route(path + (v ? `?segment=${encodeURIComponent(v)}` : ''), true)}
          options={[{ value: '', label: 'All users' }, ...segments]}
        />
      </div>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={6} height={44} label="Loading users…" />
      ) : rows.length === 0 ? (
        segmentId ? (
          <EmptyState title="Nobody is in this segment yet" action={<a href={`/sites/${site}/segments/${encodeURIComponent(segmentId)}`}>Open the segment</a>}>
            Loosen its rules, or wait for more identified visitors.
          </EmptyState>
        ) : (
          <EmptyState title="No identified users yet" action={<a href={`/sites/${site}`}>Open the site's settings</a>}>
            Turn the Identify API on in the site's settings and call identify from your pages when a visitor signs in.
          </EmptyState>
        )
      ) : (
        <>
          <Table
            caption="Identified users"
            rows={rows}
            rowKey={(u) => u.userId}
            columns={[
              { header: 'User id', cell: (u) => <a href={`/sites/${site}/users/${encodeURIComponent(u.userId)}`}>{u.userId}</a> },
              { header: 'Attributes', cell: (u) => <span class="user-summary">{attributeSummary(u) || <span class="muted">None</span>}</span> },
              { header: 'Sessions', class: 'num', cell: (u) => formatNumber(u.sessions) },
              { header: 'Device', cell: (u) => u.device ?? <span class="muted">—</span> },
              { header: 'Country', cell: (u) => (u.country ? countryName(u.country) : <span class="muted">—</span>) },
              { header: 'First seen', class: 'nowrap', cell: (u) => <Time value={u.firstSeen} /> },
              { header: 'Last seen', class: 'nowrap', cell: (u) => <Time value={u.lastSeen} relative /> },
            ]}
          />
          <Pagination pager={pager} pageInfo={q.data.users.pageInfo} pageSize={PAGE} totalCount={q.data.users.totalCount} shown={rows.length} label="Users pages" />
        </>
      )}
    </>
  );
}
