import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { graphql } from '../../gql';
import type { SiteListQuery } from '../../gql/graphql';
import { useMutation, useQuery } from '../../hooks';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  ErrorState,
  FormError,
  PageHeader,
  Pagination,
  Skeleton,
  Table,
  TextArea,
  TextInput,
  Time,
  useToast,
  usePager,
} from '../../ui';
import { useViewer } from '../../viewer';
import { parseIntIn, parseLines } from './lib';

const PAGE = 20;

const SiteList = graphql(`
  query SiteList($first: Int!, $after: String) {
    sites(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node { id name allowedDomains recordingEnabled identifyEnabled retentionDays createdAt lastDataAt }
      }
    }
  }
`);

const CreateSite = graphql(`
  mutation CreateSite($input: CreateSiteInput!) {
    createSite(input: $input) { id name }
  }
`);

type SiteRow = SiteListQuery['sites']['edges'][number]['node'];

function CreateSiteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [retention, setRetention] = useState('365');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useMutation(CreateSite);
  const { route } = useLocation();
  const { reload } = useViewer();
  const toast = useToast();
  const serverField = (create.error as { field?: string } | undefined)?.field;

  const submit = async (e: Event) => {
    e.preventDefault();
    const bad: Record<string, string> = {};
    if (!name.trim()) bad.name = 'Give the site a name.';
    const days = parseIntIn(retention, 1, 3650, 'Retention');
    if (typeof days === 'string') bad.retentionDays = days;
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    const r = await create.run({ input: { name: name.trim(), allowedDomains: parseLines(domains), retentionDays: days as number } });
    if (!r) return;
    toast(`Site “${r.createSite.name}” created. Paste its snippet into your pages.`);
    reload();
    onClose();
    route(`/sites/${encodeURIComponent(r.createSite.id)}`);
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New site"
      locked={create.pending}
      actions={
        <>
          <Button onClick={onClose} disabled={create.pending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="create-site" busy={create.pending}>
            Create site
          </Button>
        </>
      }
    >
      <form id="create-site" onSubmit={submit} noValidate>
        <TextInput label="Name" value={name} onValue={setName} error={invalid.name} autofocus maxLength={200} />
        <TextArea
          label="Allowed domains"
          hint="One host name a line, e.g. example.com or *.example.com. The tag only sends data from these pages; leave empty to allow any (not recommended)."
          value={domains}
          onValue={setDomains}
          rows={3}
          error={serverField === 'allowedDomains' ? String((create.error as Error).message) : undefined}
        />
        <TextInput
          label="Keep data for (days)"
          hint="1 to 3650. Recordings and responses older than this are deleted."
          type="number"
          min={1}
          max={3650}
          value={retention}
          onValue={setRetention}
          error={invalid.retentionDays}
        />
        {serverField !== 'allowedDomains' ? <FormError error={create.error} /> : null}
      </form>
    </Dialog>
  );
}

export default function SitesPage() {
  const { isAdmin } = useViewer();
  const pager = usePager();
  const q = useQuery(SiteList, { first: PAGE, after: pager.after ?? null });
  const [creating, setCreating] = useState(false);
  const rows: SiteRow[] = q.data?.sites.edges.map((e) => e.node) ?? [];

  const createButton = isAdmin ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      New site
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title="Sites" actions={createButton}>
        A site is one website or app: it has its own tag snippet, surveys, recordings and settings.
      </PageHeader>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={4} height={44} label="Loading sites…" />
      ) : rows.length === 0 ? (
        <EmptyState title="No sites yet" action={createButton}>
          {isAdmin ? 'Create a site, then paste its snippet into your pages.' : 'Ask an admin of your organization to create one.'}
        </EmptyState>
      ) : (
        <>
          <Table
            caption="Sites"
            rows={rows}
            rowKey={(s) => s.id}
            columns={[
              { header: 'Name', cell: (s) => <a href={`/sites/${encodeURIComponent(s.id)}`}>{s.name}</a> },
              {
                header: 'Allowed domains',
                cell: (s) => (s.allowedDomains.length ? s.allowedDomains.join(', ') : <span class="muted">Any</span>),
              },
              {
                header: 'Recording',
                cell: (s) => (s.recordingEnabled ? <Badge tone="good">On</Badge> : <Badge>Off</Badge>),
              },
              {
                header: 'Identify',
                cell: (s) => (s.identifyEnabled ? <Badge tone="good">On</Badge> : <Badge>Off</Badge>),
              },
              { header: 'Keeps data', class: 'num', cell: (s) => `${s.retentionDays} days` },
              {
                header: 'Last data',
                class: 'nowrap',
                cell: (s) =>
                  s.lastDataAt ? (
                    <Time value={s.lastDataAt} relative />
                  ) : (
                    <a class="muted" href={`/sites/${encodeURIComponent(s.id)}`} aria-label={`No data yet from ${s.name}: install the tag`}>
                      No data yet
                    </a>
                  ),
              },
              { header: 'Created', class: 'nowrap', cell: (s) => <Time value={s.createdAt} dateOnly /> },
            ]}
          />
          <Pagination pager={pager} pageInfo={q.data.sites.pageInfo} pageSize={PAGE} totalCount={q.data.sites.totalCount} shown={rows.length} label="Sites pages" />
        </>
      )}
      {isAdmin ? <CreateSiteDialog open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
