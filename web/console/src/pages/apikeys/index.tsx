// API keys of the organization (ADMIN): who can call the API, with which role, until when.
// A new key's secret is shown once; revoking stops its tokens at once.
import { useState } from 'preact/hooks';
import { graphql } from '../../gql';
import type { ApiKeyListQuery, CreateApiKeyMutation, Role } from '../../gql/graphql';
import { errorMessage } from '../../api';
import { useMutation, useQuery } from '../../hooks';
import {
  Badge,
  Button,
  ConfirmDialog,
  CopyButton,
  Dialog,
  EmptyState,
  ErrorState,
  FormError,
  PageHeader,
  Pagination,
  Select,
  Skeleton,
  Table,
  TextInput,
  Time,
  useToast,
  usePager,
} from '../../ui';
import { useViewer } from '../../viewer';
import { keyStatus, ROLE_HINTS } from './lib';

const PAGE = 25;

const ApiKeyList = graphql(`
  query ApiKeyList($first: Int!, $after: String) {
    viewer {
      organization {
        apiKeys(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { id name role clientId createdAt expiresAt revokedAt lastUsedAt } }
        }
      }
    }
  }
`);

const CreateApiKey = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { clientId clientSecret apiKey { id name role expiresAt } }
  }
`);

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);

type Key = ApiKeyListQuery['viewer']['organization']['apiKeys']['edges'][number]['node'];
type Created = CreateApiKeyMutation['createApiKey'];

const ROLE_OPTIONS = [
  { value: 'READ', label: 'Read: query data only' },
  { value: 'WRITE', label: 'Write: also surveys, segments, tags' },
  { value: 'ADMIN', label: 'Admin: everything, including sites, keys and privacy' },
] as const;

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Created) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('READ');
  const [nameError, setNameError] = useState<string | undefined>();
  const create = useMutation(CreateApiKey);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Name the key after what uses it, e.g. “BI export”.');
      return;
    }
    setNameError(undefined);
    const r = await create.run({ input: { name: name.trim(), role } });
    if (r) {
      setName('');
      setRole('READ');
      onCreated(r.createApiKey);
    }
  };
  return (
    <Dialog
      open={open}
      title="New API key"
      onClose={onClose}
      locked={create.pending}
      actions={
        <>
          <Button onClick={onClose} disabled={create.pending}>
            Cancel
          </Button>
          <Button type="submit" form="create-key" variant="primary" busy={create.pending}>
            Create key
          </Button>
        </>
      }
    >
      <form id="create-key" onSubmit={submit} noValidate>
        <TextInput label="Name" value={name} onValue={setName} error={nameError} autofocus maxLength={200} />
        <Select label="Role" value={role} onValue={(v) => setRole(v as Role)} options={ROLE_OPTIONS} hint={ROLE_HINTS[role]} />
        <p class="muted">Keys expire after one year.</p>
        <FormError error={create.error} />
      </form>
    </Dialog>
  );
}

function SecretDialog({ created, onClose }: { created: Created | null; onClose: () => void }) {
  const origin = typeof location === 'undefined' ? '' : location.origin;
  const curl = created
    ? `curl -u '${created.clientId}:${created.clientSecret}' -d grant_type=client_credentials ${origin}/oauth/token`
    : '';
  return (
    <Dialog
      open={created != null}
      title={`API key “${created?.apiKey.name ?? ''}” created`}
      onClose={onClose}
      wide
      actions={
        <Button variant="primary" onClick={onClose}>
          I have saved the secret
        </Button>
      }
    >
      <p class="callout callout-warn">Copy the secret now: it is shown only this once. If you lose it, revoke the key and create another.</p>
      <dl class="facts">
        <dt>Client id</dt>
        <dd class="row">
          <code>{created?.clientId}</code> <CopyButton text={created?.clientId ?? ''} what="Client id" />
        </dd>
        <dt>Client secret</dt>
        <dd class="row">
          <code class="secret">{created?.clientSecret}</code> <CopyButton text={created?.clientSecret ?? ''} what="Secret" />
        </dd>
        <dt>Expires</dt>
        <dd>
          <Time value={created?.apiKey.expiresAt} />
        </dd>
      </dl>
      <p>Exchange them for an access token (OAuth client credentials):</p>
      <div class="code-block">
        <pre tabIndex={0} aria-label="Token request">
          {curl}
        </pre>
        <CopyButton text={curl} what="Command" />
      </div>
    </Dialog>
  );
}

export default function ApiKeysPage() {
  const { isAdmin } = useViewer();
  const pager = usePager();
  const q = useQuery(ApiKeyList, { first: PAGE, after: pager.after ?? null }, !isAdmin);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const revoke = useMutation(RevokeApiKey);
  const toast = useToast();
  const conn = q.data?.viewer.organization.apiKeys;
  const rows = conn?.edges.map((e) => e.node) ?? [];
  const now = Date.now();

  const header = (
    <PageHeader
      title="API keys"
      actions={
        isAdmin ? (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New API key
          </Button>
        ) : null
      }
    >
      Keys let scripts and other tools use Loupe's GraphQL and REST APIs with a role of their own.
    </PageHeader>
  );

  if (!isAdmin) {
    return (
      <>
        {header}
        <EmptyState title="Only admins manage API keys">Ask an admin of your organization for a key.</EmptyState>
      </>
    );
  }

  return (
    <>
      {header}
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !conn ? (
        <Skeleton rows={4} height={44} label="Loading API keys…" />
      ) : rows.length === 0 ? (
        <EmptyState
          title="No API keys"
          action={
            <Button variant="primary" onClick={() => setCreating(true)}>
              New API key
            </Button>
          }
        >
          Create one for each script or tool, so you can revoke them one by one.
        </EmptyState>
      ) : (
        <>
          <Table
            caption="API keys"
            rows={rows}
            rowKey={(k) => k.id}
            columns={[
              {
                header: 'Name and client id',
                cell: (k) => (
                  <>
                    {k.name}
                    <br />
                    <code class="muted">{k.clientId}</code>
                  </>
                ),
              },
              { header: 'Role', cell: (k) => <Badge>{k.role}</Badge> },
              {
                header: 'Status',
                cell: (k) => {
                  const s = keyStatus(k, now);
                  return <Badge tone={s === 'Active' ? 'good' : s === 'Revoked' ? 'bad' : 'warn'}>{s}</Badge>;
                },
              },
              { header: 'Last used', class: 'nowrap', cell: (k) => <Time value={k.lastUsedAt} relative empty="Never" /> },
              { header: 'Expires', class: 'nowrap', cell: (k) => <Time value={k.expiresAt} dateOnly /> },
              { header: 'Created', class: 'nowrap', cell: (k) => <Time value={k.createdAt} dateOnly /> },
              {
                header: <span class="visually-hidden">Actions</span>,
                cell: (k) =>
                  keyStatus(k, now) === 'Revoked' ? (
                    <span class="muted nowrap">
                      Revoked <Time value={k.revokedAt} dateOnly />
                    </span>
                  ) : (
                    <Button variant="danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </Button>
                  ),
              },
            ]}
          />
          <Pagination pager={pager} pageInfo={conn.pageInfo} pageSize={PAGE} totalCount={conn.totalCount} shown={rows.length} label="API key pages" />
        </>
      )}
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setCreated(c);
          q.reload();
        }}
      />
      <SecretDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={revoking != null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke key"
        danger
        busy={revoke.pending}
        error={revoke.error ? errorMessage(revoke.error) : null}
        onCancel={() => {
          setRevoking(null);
          revoke.clearError();
        }}
        onConfirm={async () => {
          if (!revoking) return;
          const r = await revoke.run({ id: revoking.id });
          if (r) {
            toast(`Key “${revoking.name}” revoked.`);
            setRevoking(null);
            q.reload();
          }
        }}
      >
        <p>Its access tokens stop working at once, and it cannot be turned back on. Scripts that use it will get errors.</p>
      </ConfirmDialog>
    </>
  );
}
