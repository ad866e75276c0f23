// The header's organization switcher and the signed-in account with "Sign out". Its own small
// query, so the shared viewer query stays as it is. An API key (dev proxy) has no account:
// then only the organization's name shows.
import { useEffect, useId } from 'preact/hooks';
import './shell-account.css';
import { graphql } from './gql';
import type { ShellAccountQuery } from './gql/graphql';
import { useMutation, useQuery } from './hooks';
import { useToast } from './ui';
import { useViewer } from './viewer';

const ShellAccount = graphql(`
  query ShellAccount {
    viewer {
      account { id email name }
      organizations { id name role }
    }
  }
`);

const SwitchOrganization = graphql(`
  mutation SwitchOrganization($id: ID!) {
    switchOrganization(organizationId: $id) { id name role }
  }
`);

const SignOut = graphql(`
  mutation SignOut {
    signOut
  }
`);

export type ShellAccountData = ShellAccountQuery['viewer'] | undefined;

/** Fired on `window` by a page that changed the account (its name): the header reloads it. */
export const ACCOUNT_CHANGED = 'loupe:account-changed';

/** Loads the account and its organizations once, for both header controls. */
export function useShellAccount(): ShellAccountData {
  const q = useQuery(ShellAccount, {});
  const { reload } = q;
  useEffect(() => {
    addEventListener(ACCOUNT_CHANGED, reload);
    return () => removeEventListener(ACCOUNT_CHANGED, reload);
  }, [reload]);
  return q.data?.viewer;
}

/** The organization's name, or a picker when the account belongs to several. */
export function OrgSwitcher({ data }: { data: ShellAccountData }) {
  const { organization } = useViewer();
  const sw = useMutation(SwitchOrganization);
  const toast = useToast();
  const id = useId();
  const orgs = data?.organizations ?? [];
  if (orgs.length < 2)
    return (
      <span class="org-name" title="Organization">
        {organization.name}
      </span>
    );
  return (
    <div class="org-switcher">
      <label for={id} class="visually-hidden">
        Organization
      </label>
      <select
        id={id}
        value={organization.id}
        disabled={sw.pending}
        onChange={async (e) => {
          const next = e.currentTarget.value;
          const r = await sw.run({ id: next });
          if (r) {
            // Sites, keys and members all belong to the organization: start afresh there.
            location.assign('/sites');
          } else {
            e.currentTarget.value = organization.id;
            toast('The organization could not be switched. Reload the page and try again.', 'error');
          }
        }}
      >
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Who is signed in (a link to the account page) and "Sign out". */
export function AccountControls({ data }: { data: ShellAccountData }) {
  const signOut = useMutation(SignOut);
  const toast = useToast();
  const account = data?.account;
  if (!account) return null;
  return (
    <div class="account-controls">
      <a href="/account" class="account-link" title="Your account">
        {account.name || account.email}
      </a>
      <button
        type="button"
        class="btn btn-secondary"
        disabled={signOut.pending}
        onClick={async () => {
          const r = await signOut.run({});
          if (r) location.assign('/signin');
          else toast('Signing out failed. Check your connection and try again.', 'error');
        }}
      >
        Sign out
      </button>
    </div>
  );
}
