// The first-start setup link (`/setup?token=…`, printed by the server): creates the owner
// account of the first organization and signs in.
import { useLocation } from 'preact-iso';
import { useQuery, useTitle } from '../../hooks';
import { ButtonLink, ErrorState, Skeleton } from '../../ui';
import { AcceptForm, DeadLink, InviteFacts, InviteLink } from '../invite/accept';

export default function SetupPage() {
  useTitle('Set up Loupe');
  const { query } = useLocation();
  const token = query.token ?? '';
  const q = useQuery(InviteLink, { token }, !token);
  if (!token)
    return (
      <div role="alert">
        <h1>Set up Loupe</h1>
        <p>This address needs the setup link the server printed on its first start (it ends with <code>?token=…</code>).</p>
        <p class="muted">Copy the whole link from the server's output. If the owner account exists already, sign in.</p>
        <ButtonLink href="/signin" variant="primary">
          Go to sign in
        </ButtonLink>
      </div>
    );
  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} title="The setup link could not be checked" />;
  if (!q.data) return <Skeleton rows={5} height={44} label="Checking the setup link…" />;
  const info = q.data.invite;
  if (!info) return <DeadLink setup />;
  return (
    <>
      <h1>{info.setup ? 'Create the owner account' : 'Join an organization'}</h1>
      <p class="muted">
        {info.setup
          ? 'You are the first person here. This account becomes an admin of the organization below and can invite the rest of the team.'
          : 'This link is an invite.'}
      </p>
      <InviteFacts info={info} />
      <AcceptForm token={token} info={info} submitLabel={info.setup ? 'Create the owner account' : 'Create my account'} />
    </>
  );
}
