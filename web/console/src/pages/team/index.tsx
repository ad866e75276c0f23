// The organization's people: members (role, two-factor, last sign-in, on/off) and, for
// admins, role changes, turning off, removal, pending invites and new invite links.
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api';
import { formatDateTime } from '../../format';
import { graphql } from '../../gql';
import type { CreateInviteMutation, Role, TeamPageQuery } from '../../gql/graphql';
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
  Section,
  Select,
  Skeleton,
  Table,
  TextInput,
  Time,
  useToast,
} from '../../ui';
import { useViewer } from '../../viewer';

const TeamPage = graphql(`
  query TeamPage($admin: Boolean!) {
    viewer {
      account { id }
      organization {
        members { account { id email name twoFactorEnabled } role disabled createdAt lastSignInAt }
        invites @include(if: $admin) { id email role expiresAt createdAt }
      }
    }
  }
`);

const UpdateMember = graphql(`
  mutation UpdateMember($accountId: ID!, $input: UpdateMemberInput!) {
    updateMember(accountId: $accountId, input: $input) { role disabled }
  }
`);

const RemoveMember = graphql(`
  mutation RemoveMember($accountId: ID!) {
    removeMember(accountId: $accountId)
  }
`);

const CreateInvite = graphql(`
  mutation CreateInvite($input: CreateInviteInput!) {
    createInvite(input: $input) { url invite { id email role expiresAt } }
  }
`);

const RevokeInvite = graphql(`
  mutation RevokeInvite($id: ID!) {
    revokeInvite(id: $id)
  }
`);

type Member = TeamPageQuery['viewer']['organization']['members'][number];
type Invite = NonNullable<TeamPageQuery['viewer']['organization']['invites']>[number];
type Created = CreateInviteMutation['createInvite'];

const PAGE = 50;

const ROLES = [
  { value: 'READ', label: 'Read' },
  { value: 'WRITE', label: 'Write' },
  { value: 'ADMIN', label: 'Admin' },
] as const;

const ROLE_HINT: Record<Role, string> = {
  READ: 'Sees surveys, results, recordings and users; changes nothing.',
  WRITE: 'Also creates and changes surveys, segments and tags.',
  ADMIN: 'Everything: sites, the team, API keys, privacy requests and purges.',
};

/** A change waiting for confirmation. */
type Pending =
  | { kind: 'role'; member: Member; role: Role }
  | { kind: 'disable'; member: Member; disabled: boolean }
  | { kind: 'remove'; member: Member };

function who(m: Member): string {
  return m.account.name ? `${m.account.name} (${m.account.email})` : m.account.email;
}

function InviteDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Created) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('WRITE');
  const [problem, setProblem] = useState<string | undefined>();
  const create = useMutation(CreateInvite);
  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = email.trim();
    if (trimmed && !/^[^@\s]+@[^@\s]+$/.test(trimmed)) {
      setProblem('Enter an email address, or leave it empty.');
      return;
    }
    setProblem(undefined);
    const r = await create.run({ input: { email: trimmed || null, role } });
    if (r) {
      setEmail('');
      setRole('WRITE');
      onCreated(r.createInvite);
    }
  };
  return (
    <Dialog
      open={open}
      title="Invite someone"
      onClose={onClose}
      locked={create.pending}
      actions={
        <>
          <Button onClick={onClose} disabled={create.pending}>
            Cancel
          </Button>
          <Button type="submit" form="invite-form" variant="primary" busy={create.pending}>
            Create invite link
          </Button>
        </>
      }
    >
      <form id="invite-form" onSubmit={submit} noValidate>
        <TextInput
          label="Email (optional)"
          type="email"
          value={email}
          onValue={setEmail}
          error={problem}
          hint="When set, only this address can accept the invite. Loupe sends no email: you pass the link on."
          autofocus
        />
        <Select label="Role" value={role} onValue={(v) => setRole(v)} options={ROLES} hint={ROLE_HINT[role]} />
        <p class="muted">The link works once and for 7 days.</p>
        <FormError error={create.error} />
      </form>
    </Dialog>
  );
}

function CreatedDialog({ created, onClose }: { created: Created | null; onClose: () => void }) {
  return (
    <Dialog
      open={created != null}
      title="Invite link created"
      onClose={onClose}
      wide
      actions={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <p class="callout callout-warn">Copy the link now: it is shown only this once. Send it to the person yourself.</p>
      <div class="code-block">
        <pre tabIndex={0} aria-label="Invite link">
          {created?.url}
        </pre>
        <CopyButton text={created?.url ?? ''} what="Invite link" label="Copy link" />
      </div>
      <p class="muted">
        For {created?.invite.email ?? 'anyone with the link'} as {created?.invite.role.toLowerCase()}, valid until <Time value={created?.invite.expiresAt} />.
      </p>
    </Dialog>
  );
}

export default function Team() {
  const { isAdmin } = useViewer();
  const q = useQuery(TeamPage, { admin: isAdmin });
  const [inviting, setInviting] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const [page, setPage] = useState(0);
  const update = useMutation(UpdateMember);
  const remove = useMutation(RemoveMember);
  const revoke = useMutation(RevokeInvite);
  const toast = useToast();
  const org = q.data?.viewer.organization;
  const me = q.data?.viewer.account?.id;
  const members = [...(org?.members ?? [])].sort((a, b) => a.account.email.localeCompare(b.account.email));
  const activeAdmins = members.filter((m) => m.role === 'ADMIN' && !m.disabled).length;
  /** The last active admin cannot be demoted, turned off or removed (the API says so too). */
  const isLastAdmin = (m: Member) => m.role === 'ADMIN' && !m.disabled && activeAdmins <= 1;
  const shown = members.slice(page * PAGE, page * PAGE + PAGE);

  const confirmChange = async () => {
    if (!pending) return;
    const m = pending.member;
    let ok: unknown;
    if (pending.kind === 'remove') ok = await remove.run({ accountId: m.account.id });
    else
      ok = await update.run({
        accountId: m.account.id,
        input: pending.kind === 'role' ? { role: pending.role } : { disabled: pending.disabled },
      });
    if (ok !== undefined) {
      toast(
        pending.kind === 'remove'
          ? `${m.account.email} was removed.`
          : pending.kind === 'role'
            ? `${m.account.email} is now ${pending.role.toLowerCase()}.`
            : pending.disabled
              ? `${m.account.email} is turned off.`
              : `${m.account.email} is turned on again.`,
      );
      setPending(null);
      if (m.account.id === me && pending.kind !== 'disable') location.assign('/sites');
      else q.reload();
    }
  };
  const changeError = pending?.kind === 'remove' ? remove.error : update.error;

  return (
    <>
      <PageHeader
        title="Team"
        actions={
          isAdmin ? (
            <Button variant="primary" onClick={() => setInviting(true)}>
              Invite someone
            </Button>
          ) : null
        }
      >
        The people with a console account in this organization and what each may do.
      </PageHeader>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !org ? (
        <Skeleton rows={5} height={44} label="Loading the team…" />
      ) : (
        <>
          <Section title="Members" id="members">
            {members.length === 0 ? (
              <EmptyState title="No members yet">{isAdmin ? 'Invite someone to give them a console account.' : 'Ask an admin to invite people.'}</EmptyState>
            ) : (
              <Table
                caption="Members"
                rows={shown}
                rowKey={(m) => m.account.id}
                columns={[
                  {
                    header: 'Email',
                    cell: (m) => (
                      <>
                        {m.account.email} {m.account.id === me ? <Badge>You</Badge> : null}
                      </>
                    ),
                  },
                  { header: 'Name', cell: (m) => m.account.name || <span class="muted">—</span> },
                  {
                    header: 'Role',
                    cell: (m) =>
                      isAdmin && !m.disabled ? (
                        <select
                          aria-label={`Role of ${m.account.email}`}
                          value={m.role}
                          disabled={isLastAdmin(m)}
                          title={isLastAdmin(m) ? 'The only active admin: make someone else admin first.' : undefined}
                          onChange={(e) => {
                            const role = e.currentTarget.value as Role;
                            e.currentTarget.value = m.role; // changes only after confirmation
                            setPending({ kind: 'role', member: m, role });
                          }}
                        >
                          {ROLES.map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.label}
                            </option>
                          ))}
                        </select>
                      ) : (
                        m.role.charAt(0) + m.role.slice(1).toLowerCase()
                      ),
                  },
                  { header: 'Two-factor', cell: (m) => (m.account.twoFactorEnabled ? <Badge tone="good">On</Badge> : <Badge>Off</Badge>) },
                  { header: 'Last sign-in', cell: (m) => <Time value={m.lastSignInAt} relative empty="Never" />, class: 'nowrap' },
                  { header: 'Status', cell: (m) => (m.disabled ? <Badge tone="bad">Turned off</Badge> : <Badge tone="good">Active</Badge>) },
                  ...(isAdmin
                    ? [
                        {
                          header: <span class="visually-hidden">Actions</span>,
                          cell: (m: Member) => (
                            <div class="table-actions">
                              <Button
                                onClick={() => setPending({ kind: 'disable', member: m, disabled: !m.disabled })}
                                disabled={!m.disabled && isLastAdmin(m)}
                                aria-label={`${m.disabled ? 'Turn on' : 'Turn off'} ${m.account.email}`}
                              >
                                {m.disabled ? 'Turn on' : 'Turn off'}
                              </Button>
                              <Button
                                variant="danger"
                                onClick={() => setPending({ kind: 'remove', member: m })}
                                disabled={isLastAdmin(m)}
                                aria-label={`Remove ${m.account.email}`}
                              >
                                Remove
                              </Button>
                            </div>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            )}
            {members.length > PAGE ? (
              <nav class="pagination" aria-label="Member pages">
                <span class="muted">
                  {page * PAGE + 1}–{page * PAGE + shown.length} of {members.length}
                </span>
                <Button onClick={() => setPage(page - 1)} disabled={page === 0}>
                  Previous
                </Button>
                <Button onClick={() => setPage(page + 1)} disabled={(page + 1) * PAGE >= members.length}>
                  Next
                </Button>
              </nav>
            ) : null}
            {isAdmin && activeAdmins <= 1 ? (
              <p class="muted">You are the only active admin: make someone else admin before changing your own role or leaving.</p>
            ) : null}
          </Section>
          {isAdmin ? (
            <Section title="Pending invites" id="invites" description="Links not yet used. Withdraw one to stop it working.">
              {(org.invites ?? []).length === 0 ? (
                <p class="muted">No pending invites. Use “Invite someone” to create a link.</p>
              ) : (
                <Table
                  caption="Pending invites"
                  rows={org.invites ?? []}
                  rowKey={(i) => i.id}
                  columns={[
                    { header: 'For', cell: (i) => i.email ?? <span class="muted">Anyone with the link</span> },
                    { header: 'Role', cell: (i) => i.role.charAt(0) + i.role.slice(1).toLowerCase() },
                    { header: 'Created', cell: (i) => <Time value={i.createdAt} />, class: 'nowrap' },
                    { header: 'Expires', cell: (i) => <Time value={i.expiresAt} />, class: 'nowrap' },
                    {
                      header: <span class="visually-hidden">Actions</span>,
                      cell: (i) => (
                        <Button onClick={() => setRevoking(i)} aria-label={`Withdraw the invite for ${i.email ?? 'anyone'} created ${formatDateTime(i.createdAt)}`}>
                          Withdraw
                        </Button>
                      ),
                    },
                  ]}
                />
              )}
            </Section>
          ) : null}
        </>
      )}
      <InviteDialog
        open={inviting}
        onClose={() => setInviting(false)}
        onCreated={(c) => {
          setInviting(false);
          setCreated(c);
          q.reload();
        }}
      />
      <CreatedDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={pending != null}
        title={
          pending?.kind === 'remove'
            ? 'Remove this member?'
            : pending?.kind === 'role'
              ? 'Change the role?'
              : pending?.kind === 'disable' && pending.disabled
                ? 'Turn this member off?'
                : 'Turn this member on?'
        }
        confirmLabel={pending?.kind === 'remove' ? 'Remove' : pending?.kind === 'role' ? 'Change role' : pending?.kind === 'disable' && pending.disabled ? 'Turn off' : 'Turn on'}
        danger={pending?.kind === 'remove' || (pending?.kind === 'disable' && pending.disabled)}
        busy={update.pending || remove.pending}
        error={changeError ? errorMessage(changeError) : null}
        onCancel={() => {
          setPending(null);
          update.clearError();
          remove.clearError();
        }}
        onConfirm={confirmChange}
      >
        {pending ? (
          <p>
            {pending.kind === 'remove'
              ? `${who(pending.member)} loses access to this organization at once; their sessions here end. Their account stays, and an invite can bring them back.`
              : pending.kind === 'role'
                ? `${who(pending.member)} becomes ${pending.role.toLowerCase()}: ${ROLE_HINT[pending.role]}`
                : pending.disabled
                  ? `${who(pending.member)} cannot sign in to this organization until turned on again; their sessions here end at once.`
                  : `${who(pending.member)} can sign in to this organization again.`}
            {pending.member.account.id === me && pending.kind !== 'disable' ? ' This is you: you may lose access to this page.' : ''}
          </p>
        ) : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={revoking != null}
        title="Withdraw this invite?"
        confirmLabel="Withdraw"
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
          if (r !== undefined) {
            setRevoking(null);
            toast('Invite withdrawn.');
            q.reload();
          }
        }}
      >
        <p>The link for {revoking?.email ?? 'anyone with the link'} stops working at once.</p>
      </ConfirmDialog>
    </>
  );
}
