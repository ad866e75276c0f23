import { useRoute } from 'preact-iso';
import { graphql } from '../../gql';
import type { SegmentListQuery } from '../../gql/graphql';
import { formatNumber } from '../../format';
import { useQuery } from '../../hooks';
import { ButtonLink, EmptyState, ErrorState, PageHeader, Pagination, Skeleton, Table, Time, usePager } from '../../ui';
import { useViewer } from '../../viewer';

const PAGE = 20;

const SegmentList = graphql(`
  query SegmentList($siteId: ID!, $first: Int!, $after: String) {
    segments(siteId: $siteId, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name updatedAt preview { matchingUsers } } }
    }
  }
`);

type Row = SegmentListQuery['segments']['edges'][number]['node'];

export default function SegmentsPage() {
  const { siteId } = useRoute().params as { siteId: string };
  const { canWrite } = useViewer();
  const pager = usePager();
  const q = useQuery(SegmentList, { siteId, first: PAGE, after: pager.after ?? null });
  const site = encodeURIComponent(siteId);
  const rows: Row[] = q.data?.segments.edges.map((e) => e.node) ?? [];
  const create = canWrite ? (
    <ButtonLink href={`/sites/${site}/segments/new`} variant="primary">
      New segment
    </ButtonLink>
  ) : null;
  return (
    <>
      <PageHeader title="Segments" actions={create}>
        Groups of identified users defined by rules on their attributes, visits and answers. Target surveys at a segment, or filter
        recordings and responses by one.
      </PageHeader>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={4} height={44} label="Loading segments…" />
      ) : rows.length === 0 ? (
        <EmptyState title="No segments yet" action={create}>
          {canWrite
            ? 'Build one from the attributes your site sends with identify calls, visits and survey answers.'
            : 'Ask a member with write access to build one.'}
        </EmptyState>
      ) : (
        <>
          <Table
            caption="Segments"
            rows={rows}
            rowKey={(s) => s.id}
            columns={[
              { header: 'Name', cell: (s) => <a href={`/sites/${site}/segments/${encodeURIComponent(s.id)}`}>{s.name}</a> },
              {
                header: 'Matching users',
                class: 'num',
                cell: (s) => <a href={`/sites/${site}/users?segment=${encodeURIComponent(s.id)}`}>{formatNumber(s.preview.matchingUsers)}</a>,
              },
              { header: 'Recordings', cell: (s) => <a href={`/sites/${site}/recordings?segment=${encodeURIComponent(s.id)}`}>Recordings of this segment</a> },
              { header: 'Updated', class: 'nowrap', cell: (s) => <Time value={s.updatedAt} /> },
            ]}
          />
          <Pagination pager={pager} pageInfo={q.data.segments.pageInfo} pageSize={PAGE} totalCount={q.data.segments.totalCount} shown={rows.length} label="Segments pages" />
        </>
      )}
    </>
  );
}
