// The organization's audit log, newest first, 25 a page: who did what, where, with counts.
import { useEffect } from 'preact/hooks';
import { graphql } from '../../gql';
import type { AuditLogQuery } from '../../gql/graphql';
import { useQuery } from '../../hooks';
import { Button, EmptyState, ErrorState, Pagination, Section, Skeleton, Table, Time, usePager } from '../../ui';
import { useViewer } from '../../viewer';
import { actionLabel, countsText } from './lib';

const AuditLogQ = graphql(`
  query AuditLog($first: Int!, $after: String) {
    auditLog(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id createdAt action apiKeyId accountId siteId subjectHash counts } }
    }
    viewer { organization { members { account { id email } } } }
  }
`);

type Entry = AuditLogQuery['auditLog']['edges'][number]['node'];
const PAGE = 25;

/** `version` changes after an operation on the page: the log reloads to show it. */
export function AuditLog({ version }: { version: number }) {
  const { sites } = useViewer();
  const pager = usePager();
  const q = useQuery(AuditLogQ, { first: PAGE, after: pager.after ?? null });
  useEffect(() => {
    if (version > 0) q.reload();
  }, [version]);
  const conn = q.data?.auditLog;
  const accounts = new Map((q.data?.viewer.organization.members ?? []).map((m) => [m.account.id, m.account.email]));
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const rows = conn?.edges.map((e) => e.node) ?? [];
  const actor = (e: Entry) =>
    e.accountId ? (accounts.get(e.accountId) ?? `Account #${e.accountId} (no longer a member)`) : e.apiKeyId ? `API key #${e.apiKeyId}` : 'Loupe (automatic)';
  return (
    <Section title="Audit log" id="audit" description="Privacy operations and account actions, newest first. People a request was about appear only as a keyed hash: the same person has the same hash.">
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !conn ? (
        <Skeleton rows={6} height={36} label="Loading the audit log…" />
      ) : rows.length === 0 ? (
        <EmptyState title="Nothing recorded yet">Lookups, deletions, purges and account actions will be listed here.</EmptyState>
      ) : (
        <>
          <Table
            caption="Audit log"
            rows={rows}
            rowKey={(e) => e.id}
            columns={[
              { header: 'When', cell: (e) => <Time value={e.createdAt} />, class: 'nowrap' },
              { header: 'Action', cell: (e) => <span title={e.action}>{actionLabel(e.action)}</span> },
              { header: 'By', cell: actor },
              { header: 'Site', cell: (e) => (e.siteId ? (siteNames.get(e.siteId) ?? `Site #${e.siteId}`) : <span class="muted">—</span>) },
              { header: 'Details', cell: (e) => countsText(e.counts, accounts) || <span class="muted">—</span> },
              {
                header: 'Subject',
                cell: (e) =>
                  e.subjectHash ? (
                    <span class="hash" title={e.subjectHash}>
                      {e.subjectHash.slice(0, 12)}…
                    </span>
                  ) : (
                    <span class="muted">—</span>
                  ),
              },
            ]}
          />
          <Pagination pager={pager} pageInfo={conn.pageInfo} pageSize={PAGE} totalCount={conn.totalCount} shown={rows.length} label="Audit log pages" />
          <div class="actions">
            <Button onClick={q.reload} busy={q.loading}>
              Refresh
            </Button>
          </div>
        </>
      )}
    </Section>
  );
}
