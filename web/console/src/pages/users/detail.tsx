import { useRoute } from 'preact-iso';
import { graphql } from '../../gql';
import type { UserDetailQuery, UserRecordingsQuery } from '../../gql/graphql';
import { formatDuration, formatNumber } from '../../format';
import { useQuery } from '../../hooks';
import { Badge, EmptyState, ErrorState, PageHeader, Pagination, Section, Skeleton, Table, Time, usePager } from '../../ui';
import { ApiError } from '../../api';
import { useViewer } from '../../viewer';
import { shortUrl } from '../player/timeline';
import { countryName, deviceLine } from '../recordings/lib';
import { AttributeList, ResponseList, useSurveyNames } from './parts';
import './users.css';

const PAGE = 10;

const UserDetail = graphql(`
  query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {
    user(siteId: $siteId, userId: $userId) {
      userId firstSeen lastSeen sessions device country
      attributes { name type value stringValue numberValue booleanValue dateValue }
      responses(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id surveyId createdAt isComplete
            recording { id }
            answers { questionId value sentiment { label } }
          }
        }
      }
    }
  }
`);

const UserRecordings = graphql(`
  query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {
    recordings(siteId: $siteId, filter: { userId: $userId }, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id startedAt durationMs pageViews clicks rageClicks device browser os country entryUrl } }
    }
  }
`);

type Rec = UserRecordingsQuery['recordings']['edges'][number]['node'];
type UserData = NonNullable<UserDetailQuery['user']>;

function Recordings({ siteId, userId }: { siteId: string; userId: string }) {
  const pager = usePager();
  const q = useQuery(UserRecordings, { siteId, userId, first: PAGE, after: pager.after ?? null });
  const site = encodeURIComponent(siteId);
  const rows: Rec[] = q.data?.recordings.edges.map((e) => e.node) ?? [];
  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.data) return <Skeleton rows={3} height={36} label="Loading recordings…" />;
  if (rows.length === 0) return <p class="muted">No recordings of this user (recording may be off, sampled out or expired).</p>;
  return (
    <>
      <Table
        caption={`Recordings of ${userId}`}
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
          { header: 'Duration', class: 'num', cell: (r) => formatDuration(r.durationMs) },
          { header: 'Pages', class: 'num', cell: (r) => formatNumber(r.pageViews) },
          { header: 'Clicks', class: 'num', cell: (r) => formatNumber(r.clicks) },
          { header: 'Rage clicks', class: 'num', cell: (r) => (r.rageClicks > 0 ? <Badge tone="warn">{formatNumber(r.rageClicks)}</Badge> : '0') },
          { header: 'Device', cell: (r) => deviceLine(r.device, r.browser, r.os) || '—' },
          { header: 'Entry page', cell: (r) => <span class="user-summary">{shortUrl(r.entryUrl) || '—'}</span> },
        ]}
      />
      <Pagination pager={pager} pageInfo={q.data.recordings.pageInfo} pageSize={PAGE} totalCount={q.data.recordings.totalCount} shown={rows.length} label="Recordings pages" />
    </>
  );
}

function Profile({ u }: { u: UserData }) {
  const { isAdmin } = useViewer();
  return (
    <Section title="Profile" id="user-profile">
      <dl class="user-stats">
        <div>
          <dt>Sessions</dt>
          <dd>{formatNumber(u.sessions)}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>
            <Time value={u.firstSeen} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <Time value={u.lastSeen} />
          </dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>{u.device ?? '—'}</dd>
        </div>
        <div>
          <dt>Country</dt>
          <dd>{u.country ? countryName(u.country) : '—'}</dd>
        </div>
      </dl>
      <h3>Attributes</h3>
      <AttributeList attributes={u.attributes} label={`Attributes of ${u.userId}`} />
      {isAdmin ? (
        <p class="muted">
          To export or erase everything about this person, use <a href="/privacy">Privacy</a>.
        </p>
      ) : null}
    </Section>
  );
}

export default function UserPage() {
  const { siteId, userId } = useRoute().params as { siteId: string; userId: string };
  const pager = usePager();
  const q = useQuery(UserDetail, { siteId, userId, first: PAGE, after: pager.after ?? null });
  const names = useSurveyNames(siteId);
  const site = encodeURIComponent(siteId);
  const u = q.data?.user;
  const back = (
    <p class="breadcrumb">
      <a href={`/sites/${site}/users`}>← Users</a>
    </p>
  );
  if (q.error && !q.data)
    return (
      <>
        {back}
        <PageHeader title={`User ${userId}`} />
        <ErrorState error={q.error} retry={q.reload} />
      </>
    );
  if (!q.data)
    return (
      <>
        {back}
        <PageHeader title={`User ${userId}`} />
        <Skeleton rows={6} height={40} label="Loading the user…" />
      </>
    );
  if (!u)
    return (
      <>
        {back}
        <PageHeader title={`User ${userId}`} />
        <ErrorState error={new ApiError('NOT_FOUND', `No identified user “${userId}” on this site.`)} />
      </>
    );
  const responses = u.responses.edges.map((e) => e.node);
  return (
    <>
      {back}
      <PageHeader title={`User ${u.userId}`}>
        Identified by your site; last seen <Time value={u.lastSeen} relative />.
      </PageHeader>
      <Profile u={u} />
      <Section title="Recordings" id="user-recordings">
        <Recordings siteId={siteId} userId={u.userId} />
      </Section>
      <Section title={`Survey responses (${formatNumber(u.responses.totalCount)})`} id="user-responses">
        {responses.length === 0 ? (
          <EmptyState title="No responses yet">This user has not answered a survey or poll on this site.</EmptyState>
        ) : (
          <>
            <ResponseList siteId={siteId} responses={responses} names={names} />
            <Pagination pager={pager} pageInfo={u.responses.pageInfo} pageSize={PAGE} totalCount={u.responses.totalCount} shown={responses.length} label="Responses pages" />
          </>
        )}
      </Section>
    </>
  );
}
