// What the setup link and invite links share: reading the link (`invite(token)`) and the form
// that creates the account, or adds the membership to an existing one, then signs in.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, errorMessage } from '../../api';
import { graphql } from '../../gql';
import type { InviteLinkQuery } from '../../gql/graphql';
import { useMutation } from '../../hooks';
import { Button, ButtonLink, TextInput, Time } from '../../ui';
import { PASSWORD_HINT, passwordProblem, waitText } from '../signin/lib';

export const InviteLink = graphql(`
  query InviteLink($token: String!) {
    invite(token: $token) { organizationName role email expiresAt setup }
  }
`);

const AcceptInvite = graphql(`
  mutation AcceptInvite($input: AcceptInviteInput!) {
    acceptInvite(input: $input) { account { id } organization { id name } }
  }
`);

export type InviteInfo = NonNullable<InviteLinkQuery['invite']>;

export const ROLE_WORDS: Record<string, string> = {
  ADMIN: 'Admin (everything: sites, team, API keys, privacy)',
  WRITE: 'Write (surveys, segments and tags)',
  READ: 'Read (see data, change nothing)',
};

/** A link that is unknown, used, revoked or expired: what to do instead. */
export function DeadLink({ setup }: { setup: boolean }) {
  return (
    <div role="alert">
      <h1>{setup ? 'This setup link no longer works' : 'This invite link no longer works'}</h1>
      <p>It is unknown, was already used, was withdrawn, or has expired (links are valid for 7 days and work once).</p>
      <p class="muted">
        {setup
          ? 'If the owner account exists, sign in. Otherwise an operator can create an account with `loupe admin create-user --email … --org 1 --role ADMIN`.'
          : 'Ask an admin of the organization for a new invite. If you already accepted it, sign in.'}
      </p>
      <ButtonLink href="/signin" variant="primary">
        Go to sign in
      </ButtonLink>
    </div>
  );
}

function acceptMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'NOT_FOUND') return 'This link no longer works: it was used, withdrawn or has expired. Ask for a new one.';
    if (e.code === 'UNAUTHENTICATED')
      return 'An account with this email exists and the password is wrong. Use that account’s password, or another email.';
    if (e.code === 'RATE_LIMITED') {
      const s = e.retryAfter;
      return `Too many attempts. Wait ${s ? waitText(s) : 'a few minutes'} before trying again.`;
    }
  }
  return errorMessage(e);
}

/**
 * The new account's form: email, an optional name and a password twice (with strength hints).
 * People who already have an account join after signing in (./join.tsx).
 */
export function AcceptForm({ token, info, submitLabel }: { token: string; info: InviteInfo; submitLabel: string }) {
  const { route } = useLocation();
  const [email, setEmail] = useState(info.email ?? '');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<{ email?: string; password?: string; confirm?: string }>({});
  const accept = useMutation(AcceptInvite);

  const submit = async (e: Event) => {
    e.preventDefault();
    const p: typeof problems = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(email.trim())) p.email = 'Enter your email address.';
    const pw = passwordProblem(password, confirm);
    if (pw) (pw.includes('differ') ? (p.confirm = pw) : (p.password = pw));
    setProblems(p);
    if (Object.keys(p).length) return;
    const r = await accept.run({
      input: { token, email: email.trim(), name: name.trim() ? name.trim() : null, password },
    });
    if (r) route('/sites', true);
  };

  const err = accept.error;
  const fieldErr = err instanceof ApiError && err.code === 'BAD_USER_INPUT' ? err : null;
  const passwordError =
    problems.password ?? (fieldErr && (fieldErr.field === 'password' || !fieldErr.field) ? strengthMessage(fieldErr.message) : undefined);
  const emailError = problems.email ?? (fieldErr?.field === 'email' ? fieldErr.message : undefined);
  const general = err && !(fieldErr && (fieldErr.field === 'password' || fieldErr.field === 'email' || !fieldErr.field)) ? acceptMessage(err) : null;

  return (
    <form onSubmit={submit} noValidate>
      <TextInput
        label="Email"
        type="email"
        autocomplete="username"
        value={email}
        onValue={setEmail}
        readOnly={!!info.email}
        hint={info.email ? 'This invite is for this address only.' : undefined}
        error={emailError}
        autofocus={!info.email}
        required
      />
      <TextInput label="Your name (optional)" autocomplete="name" value={name} onValue={setName} maxLength={200} />
      <TextInput
        label="Password"
        type="password"
        autocomplete="new-password"
        value={password}
        onValue={setPassword}
        hint={PASSWORD_HINT}
        error={passwordError}
        autofocus={!!info.email}
        required
      />
      <TextInput
        label="Repeat the password"
        type="password"
        autocomplete="new-password"
        value={confirm}
        onValue={setConfirm}
        error={problems.confirm}
        required
      />
      {general ? (
        <p class="form-error" role="alert">
          {general}
        </p>
      ) : null}
      <div class="actions">
        <Button type="submit" variant="primary" busy={accept.pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** The server's strength verdict, tidied ("…password.. Add more…" has a doubled stop). */
function strengthMessage(m: string): string {
  const s = m.replace(/\.\./g, '.').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Default" invites you as Write, until … */
export function InviteFacts({ info }: { info: InviteInfo }) {
  return (
    <dl class="facts invite-facts">
      <dt>Organization</dt>
      <dd>{info.organizationName}</dd>
      <dt>Role</dt>
      <dd>{ROLE_WORDS[info.role] ?? info.role}</dd>
      <dt>Link valid until</dt>
      <dd>
        <Time value={info.expiresAt} />
      </dd>
    </dl>
  );
}
