// Joining with an account you already have: signed in, one button (`joinOrganization`);
// signed out, a link to sign in that comes back here. The invite link alone never signs
// anybody in to an existing account, so its second factor and sign-in limits always apply.
import { ApiError, errorMessage } from '../../api';
import { graphql } from '../../gql';
import { useMutation, useQuery } from '../../hooks';
import { Button, ButtonLink, FormError, Skeleton } from '../../ui';
import type { InviteInfo } from './accept';

const WhoAmI = graphql(`
  query InviteWhoAmI {
    viewer { account { email } }
  }
`);

const JoinOrganization = graphql(`
  mutation JoinOrganization($token: String!) {
    joinOrganization(token: $token) { id name role }
  }
`);

export function JoinExisting({ token, info }: { token: string; info: InviteInfo }) {
  const me = useQuery(WhoAmI, {});
  const join = useMutation(JoinOrganization);
  const here = `/invite/${encodeURIComponent(token)}`;
  if (me.loading && !me.data) return <Skeleton rows={2} height={44} label="Checking whether you are signed in…" />;
  const email = me.data?.viewer.account?.email;
  if (!email) {
    const signedOut = !me.error || (me.error instanceof ApiError && me.error.code === 'UNAUTHENTICATED');
    return (
      <div class="section">
        <p>{signedOut ? 'Sign in to your account first; you will come back here to join.' : errorMessage(me.error)}</p>
        <div class="actions">
          <ButtonLink href={`/signin?next=${encodeURIComponent(here)}`} variant="primary">
            Sign in to join {info.organizationName}
          </ButtonLink>
        </div>
      </div>
    );
  }
  async function onJoin() {
    const r = await join.run({ token });
    if (r) window.location.assign('/sites');
  }
  return (
    <div class="section">
      <p>
        Signed in as <strong>{email}</strong>.
        {info.email && info.email !== email ? ` This invite is for ${info.email}: sign in with that account instead.` : ''}
      </p>
      <FormError error={join.error} />
      <div class="actions">
        <Button variant="primary" onClick={onJoin} busy={join.pending}>
          Join {info.organizationName}
        </Button>
      </div>
    </div>
  );
}
