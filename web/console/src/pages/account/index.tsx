// Your account: who you are, the password, two-factor sign-in and the browsers signed in.
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { formatRelative } from '../../format';
import { graphql } from '../../gql';
import type { AccountPageQuery } from '../../gql/graphql';
import { useMutation, useQuery } from '../../hooks';
import { Badge, Button, ConfirmDialog, EmptyState, ErrorState, FormError, PageHeader, Section, Skeleton, Table, TextInput, Time, useToast } from '../../ui';
import { PASSWORD_HINT, passwordProblem } from '../signin/lib';
import { ACCOUNT_CHANGED } from '../../shell-account';
import { TwoFactorSection } from './twofactor';

export const AccountPage = graphql(`
  query AccountPage {
    viewer {
      account {
        id email name twoFactorEnabled createdAt
        sessions { id current device createdAt lastSeenAt expiresAt }
      }
    }
  }
`);

const UpdateAccount = graphql(`
  mutation UpdateAccount($name: String) {
    updateAccount(name: $name) { id name }
  }
`);

const ChangePassword = graphql(`
  mutation ChangePassword($current: String!, $next: String!) {
    changePassword(currentPassword: $current, newPassword: $next)
  }
`);

const RevokeSession = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

const SignOutEverywhere = graphql(`
  mutation SignOutEverywhere {
    signOutEverywhere
  }
`);

export type AccountData = NonNullable<AccountPageQuery['viewer']['account']>;
type Session = AccountData['sessions'][number];

const NAME_MAX = 100;

/** The display name (shown in the header and the team list), the email and the creation date. */
function ProfileSection({ account, onChanged }: { account: AccountData; onChanged: () => void }) {
  const [name, setName] = useState(account.name ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const update = useMutation(UpdateAccount);
  const toast = useToast();
  const trimmed = name.trim();
  const unchanged = trimmed === (account.name ?? '');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (trimmed.length > NAME_MAX) return setProblem(`At most ${NAME_MAX} characters.`);
    setProblem(undefined);
    const r = await update.run({ name: trimmed || null });
    if (r) {
      setName(r.updateAccount.name ?? '');
      toast(r.updateAccount.name ? 'Name saved.' : 'Name removed: your email shows instead.');
      dispatchEvent(new Event(ACCOUNT_CHANGED));
      onChanged();
    }
  };
  const err = update.error instanceof ApiError && update.error.code === 'BAD_USER_INPUT' ? update.error : null;
  return (
    <Section title="Profile" id="profile">
      <dl class="facts">
        <dt>Email</dt>
        <dd>{account.email}</dd>
        <dt>Account created</dt>
        <dd>
          <Time value={account.createdAt} />
        </dd>
      </dl>
      <form onSubmit={submit} noValidate>
        <TextInput
          label="Display name"
          autocomplete="name"
          maxLength={NAME_MAX}
          value={name}
          onValue={setName}
          hint="Shown to your team and in the header. Leave empty to show your email."
          error={problem ?? err?.message}
        />
        {update.error && !err ? <FormError error={update.error} /> : null}
        <Button type="submit" variant="primary" busy={update.pending} disabled={unchanged}>
          Save name
        </Button>
      </form>
    </Section>
  );
}

function PasswordSection({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<{ current?: string; next?: string; confirm?: string }>({});
  const change = useMutation(ChangePassword);
  const toast = useToast();
  const submit = async (e: Event) => {
    e.preventDefault();
    const p: typeof problem = {};
    if (!current) p.current = 'Enter your current password.';
    const pw = passwordProblem(next, confirm);
    if (pw) (pw.includes('differ') ? (p.confirm = pw) : (p.next = pw));
    setProblem(p);
    if (Object.keys(p).length) return;
    const r = await change.run({ current, next });
    if (r) {
      setCurrent('');
      setNext('');
      setConfirm('');
      toast('Password changed. Your other browsers have been signed out.');
      onChanged();
    }
  };
  const err = change.error instanceof ApiError && change.error.code === 'BAD_USER_INPUT' ? change.error : null;
  const tidy = (m: string) => m.replace(/\.\./g, '.');
  return (
    <Section title="Password" id="password" description="Changing it signs you out everywhere else: every other browser signed in to this account must sign in again.">
      <form onSubmit={submit} noValidate>
        <TextInput
          label="Current password"
          type="password"
          autocomplete="current-password"
          value={current}
          onValue={setCurrent}
          error={problem.current ?? (err?.field === 'currentPassword' ? tidy(err.message) : undefined)}
        />
        <div class="grid-2">
          <TextInput
            label="New password"
            type="password"
            autocomplete="new-password"
            value={next}
            onValue={setNext}
            hint={PASSWORD_HINT}
            error={problem.next ?? (err && err.field !== 'currentPassword' ? tidy(err.message) : undefined)}
          />
          <TextInput label="Repeat the new password" type="password" autocomplete="new-password" value={confirm} onValue={setConfirm} error={problem.confirm} />
        </div>
        {change.error && !err ? <FormError error={change.error} /> : null}
        <Button type="submit" variant="primary" busy={change.pending}>
          Change password
        </Button>
      </form>
    </Section>
  );
}

function SessionsSection({ sessions, reload }: { sessions: readonly Session[]; reload: () => void }) {
  const [revoking, setRevoking] = useState<Session | null>(null);
  const [everywhere, setEverywhere] = useState(false);
  const revoke = useMutation(RevokeSession);
  const all = useMutation(SignOutEverywhere);
  const toast = useToast();
  const rows = [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
  return (
    <Section title="Signed-in browsers" id="sessions" description="Each browser where you signed in. Sign out one you do not recognise, or every one at once.">
      {rows.length === 0 ? (
        <EmptyState title="No sessions">You are using the console with an API key.</EmptyState>
      ) : (
        <Table
          caption="Signed-in browsers"
          rows={rows}
          rowKey={(s) => s.id}
          columns={[
            {
              header: 'Device',
              cell: (s) => (
                <>
                  {s.device} {s.current ? <Badge tone="good">This browser</Badge> : null}
                </>
              ),
            },
            { header: 'Signed in', cell: (s) => <Time value={s.createdAt} />, class: 'nowrap' },
            { header: 'Last seen', cell: (s) => <Time value={s.lastSeenAt} relative />, class: 'nowrap' },
            { header: 'Ends', cell: (s) => <Time value={s.expiresAt} />, class: 'nowrap' },
            {
              header: <span class="visually-hidden">Actions</span>,
              cell: (s) =>
                s.current ? (
                  <span class="muted">Use “Sign out” at the top</span>
                ) : (
                  <Button onClick={() => setRevoking(s)} aria-label={`Sign out ${s.device}, last seen ${formatRelative(s.lastSeenAt)}`}>
                    Sign out
                  </Button>
                ),
            },
          ]}
        />
      )}
      <div class="actions">
        <Button variant="danger" onClick={() => setEverywhere(true)}>
          Sign out everywhere
        </Button>
      </div>
      <ConfirmDialog
        open={revoking != null}
        title="Sign out this browser?"
        confirmLabel="Sign it out"
        danger
        busy={revoke.pending}
        error={revoke.error ? String((revoke.error as Error).message) : null}
        onCancel={() => {
          setRevoking(null);
          revoke.clearError();
        }}
        onConfirm={async () => {
          if (!revoking) return;
          const r = await revoke.run({ id: revoking.id });
          if (r !== undefined) {
            setRevoking(null);
            toast('That browser is signed out.');
            reload();
          }
        }}
      >
        <p>{revoking?.device} will have to sign in again.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={everywhere}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        danger
        busy={all.pending}
        error={all.error ? String((all.error as Error).message) : null}
        onCancel={() => {
          setEverywhere(false);
          all.clearError();
        }}
        onConfirm={async () => {
          const r = await all.run({});
          if (r !== undefined) location.assign('/signin');
        }}
      >
        <p>Every browser signed in to your account, this one included, is signed out. You will sign in again here.</p>
      </ConfirmDialog>
    </Section>
  );
}

export default function Account() {
  const q = useQuery(AccountPage, {});
  const account = q.data?.viewer.account;
  return (
    <>
      <PageHeader title="Your account">Your sign-in details, two-factor sign-in and the browsers you are signed in with.</PageHeader>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={6} height={44} label="Loading your account…" />
      ) : !account ? (
        <EmptyState title="No console account">
          You are using the console with an API key, which has no password, two-factor or sessions. Sign in with an account to manage them.
        </EmptyState>
      ) : (
        <>
          <ProfileSection account={account} onChanged={q.reload} />
          <PasswordSection onChanged={q.reload} />
          <TwoFactorSection account={account} reload={q.reload} />
          <SessionsSection sessions={account.sessions} reload={q.reload} />
        </>
      )}
    </>
  );
}
