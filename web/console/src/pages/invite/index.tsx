// An invite link (`/invite/:token`): who invites you as what; create an account, or join with
// the account you have (signed in).
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { useQuery, useTitle } from '../../hooks';
import { ErrorState, Skeleton } from '../../ui';
import { AcceptForm, DeadLink, InviteFacts, InviteLink } from './accept';
import { JoinExisting } from './join';

export default function InvitePage() {
  useTitle('Accept an invite');
  const { params } = useRoute();
  const { route } = useLocation();
  const token = params.token ?? '';
  const q = useQuery(InviteLink, { token }, !token);
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const isSetup = q.data?.invite?.setup === true;
  useEffect(() => {
    if (isSetup) route(`/setup?token=${encodeURIComponent(token)}`, true);
  }, [isSetup]);
  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} title="The invite could not be checked" />;
  if (!q.data) return <Skeleton rows={5} height={44} label="Checking the invite…" />;
  const info = q.data.invite;
  if (!info) return <DeadLink setup={false} />;
  if (info.setup) return null;
  return (
    <>
      <h1>Join {info.organizationName}</h1>
      <p class="muted">You have been invited to work in this organization on Loupe.</p>
      <InviteFacts info={info} />
      <fieldset class="choice">
        <legend>Do you have a Loupe account?</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'new'} onChange={() => setMode('new')} /> No, create one
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'existing'} onChange={() => setMode('existing')} /> Yes, add this organization to it
        </label>
      </fieldset>
      {mode === 'new' ? (
        <AcceptForm token={token} info={info} submitLabel="Create account and join" />
      ) : (
        <JoinExisting token={token} info={info} />
      )}
    </>
  );
}
