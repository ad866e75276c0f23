// Privacy (ADMIN): personal-data requests (lookup with its report, deletion), URL and
// time-range purges per site, and the organization's audit log.
import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api';
import { graphql } from '../../gql';
import type { PurgeKind } from '../../gql/graphql';
import { useMutation } from '../../hooks';
import { Button, Checkbox, ConfirmDialog, CopyButton, Dialog, EmptyState, PageHeader, Section, Select, TextInput, useToast } from '../../ui';
import { useViewer } from '../../viewer';
import { AuditLog } from './audit';
import { countEntries, localToIso, subjectText } from './lib';

const LookupPersonalData = graphql(`
  mutation LookupPersonalData($input: PersonalDataInput!) {
    lookupPersonalData(input: $input)
  }
`);

const DeletePersonalData = graphql(`
  mutation DeletePersonalData($input: PersonalDataInput!) {
    deletePersonalData(input: $input)
  }
`);

const PurgeUrls = graphql(`
  mutation PurgeUrls($siteId: ID!, $pattern: String!) {
    purgeUrls(siteId: $siteId, pattern: $pattern)
  }
`);

const PurgeTimeRange = graphql(`
  mutation PurgeTimeRange($siteId: ID!, $from: DateTime!, $to: DateTime!, $kinds: [PurgeKind!]!) {
    purgeTimeRange(siteId: $siteId, from: $from, to: $to, kinds: $kinds)
  }
`);

const PLAN_NOTE =
  'Personal-data lookups and deletions need the Scale plan. URL and time-range purges and the audit log work on every plan. An operator changes the plan with the command “loupe admin set-plan”.';

/** An error as people read it, with what a plan error means. */
function message(e: unknown): string {
  if (e instanceof ApiError && e.code === 'PLAN_REQUIRED') return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}. An operator changes the plan with the command “loupe admin set-plan”.`;
  return errorMessage(e);
}

function Counts({ result, label }: { result: unknown; label: string }) {
  const entries = countEntries(result);
  if (entries.length === 0) return null;
  return (
    <ul class="counts" aria-label={label}>
      {entries.map(([k, v]) => (
        <li key={k}>
          {k}: <strong>{v}</strong>
        </li>
      ))}
    </ul>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface UserRow {
  siteId: string;
  userId: string;
}

function PersonalData({ done }: { done: () => void }) {
  const { sites, organization } = useViewer();
  const [email, setEmail] = useState('');
  const [users, setUsers] = useState<UserRow[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [report, setReport] = useState<unknown>(null);
  const [deleted, setDeleted] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const lookup = useMutation(LookupPersonalData);
  const del = useMutation(DeletePersonalData);
  const toast = useToast();
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? `site ${id}`;
  const cleanUsers = users.filter((u) => u.userId.trim()).map((u) => ({ siteId: u.siteId, userId: u.userId.trim() }));
  const input = { email: email.trim() || null, siteUsers: cleanUsers };
  const subject = subjectText(email.trim(), cleanUsers.map((u) => ({ siteName: siteName(u.siteId), userId: u.userId })));
  const needed = 'DELETE';
  const planOk = organization.plan === 'SCALE';

  const valid = () => {
    if (!email.trim() && cleanUsers.length === 0) {
      setProblem('Enter an email, or add a user id of a site.');
      return false;
    }
    if (email.trim() && !/^[^@\s]+@[^@\s]+$/.test(email.trim())) {
      setProblem('That does not look like an email address.');
      return false;
    }
    setProblem(null);
    return true;
  };
  const onLookup = async (e: Event) => {
    e.preventDefault();
    if (!valid()) return;
    setDeleted(null);
    const r = await lookup.run({ input });
    if (r) {
      setReport(r.lookupPersonalData);
      done();
    }
  };
  const json = report == null ? '' : JSON.stringify(report, null, 2);
  const err = lookup.error ?? del.error;

  return (
    <Section
      title="Personal data of one person"
      id="personal-data"
      description="Answer an access or erasure request: find everything held about a person across all sites (users with attributes, responses with answers, recordings), then delete it if asked. Each lookup and deletion goes to the audit log."
    >
      {!planOk ? <p class="callout callout-warn">{PLAN_NOTE}</p> : null}
      <form onSubmit={onLookup} noValidate>
        <TextInput
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          hint="Matched against email answers and an identify attribute named “email”."
        />
        <fieldset class="choice">
          <legend>Identified users (the id your site passes to Identify)</legend>
          {users.length === 0 ? <p class="muted">None added.</p> : null}
          {users.map((u, i) => (
            <div class="subject-users" key={i}>
              <Select
                label={`Site of user ${i + 1}`}
                value={u.siteId}
                options={sites.map((s) => ({ value: s.id, label: s.name }))}
                onValue={(v) => setUsers(users.map((x, j) => (j === i ? { ...x, siteId: v } : x)))}
              />
              <TextInput
                label={`User id ${i + 1}`}
                value={u.userId}
                onValue={(v) => setUsers(users.map((x, j) => (j === i ? { ...x, userId: v } : x)))}
                maxLength={500}
              />
              <Button onClick={() => setUsers(users.filter((_, j) => j !== i))} aria-label={`Remove user ${i + 1}`}>
                Remove
              </Button>
            </div>
          ))}
          {sites.length > 0 ? (
            <Button class="add-user" onClick={() => setUsers([...users, { siteId: sites[0]!.id, userId: '' }])}>
              Add a user id
            </Button>
          ) : (
            <p class="muted">No sites yet.</p>
          )}
        </fieldset>
        {problem ? (
          <p class="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        {err ? (
          <p class="form-error" role="alert">
            {message(err)}
          </p>
        ) : null}
        <div class="actions">
          <Button type="submit" variant="primary" busy={lookup.pending}>
            Look up
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              if (!valid()) return;
              setTyped('');
              del.clearError();
              setConfirming(true);
            }}
          >
            Delete everything about this person…
          </Button>
        </div>
      </form>
      {report != null ? (
        <div class="report" aria-live="polite">
          <h3>What Loupe holds</h3>
          <Counts result={report} label="Found" />
          <pre class="report-json" tabIndex={0} aria-label="Report (JSON)">
            {json}
          </pre>
          <div class="actions">
            <CopyButton text={json} what="Report" label="Copy report" />
            <Button onClick={() => download('loupe-personal-data.json', json)}>Download report (JSON)</Button>
          </div>
        </div>
      ) : null}
      {deleted != null ? (
        <div class="report" role="status">
          <h3>Deleted</h3>
          <Counts result={deleted} label="Deleted" />
        </div>
      ) : null}
      <Dialog
        open={confirming}
        title="Delete this person's data?"
        onClose={() => setConfirming(false)}
        locked={del.pending}
        actions={
          <>
            <Button onClick={() => setConfirming(false)} disabled={del.pending}>
              Cancel
            </Button>
            <Button type="submit" form="delete-person" variant="danger" busy={del.pending} disabled={typed.trim() !== needed}>
              Delete for good
            </Button>
          </>
        }
      >
        <form
          id="delete-person"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            if (typed.trim() !== needed) return;
            const r = await del.run({ input });
            if (r) {
              setConfirming(false);
              setReport(null);
              setDeleted(r.deletePersonalData);
              toast('Personal data deleted.');
              done();
            }
          }}
        >
          <p>
            Everything held about <strong>{subject}</strong> is deleted from every site in one go: users and their attributes, responses,
            recordings. This cannot be undone.
          </p>
          <TextInput label={`Type ${needed} to confirm`} value={typed} onValue={setTyped} autocomplete="off" autofocus />
          {del.error ? (
            <p class="form-error" role="alert">
              {message(del.error)}
            </p>
          ) : null}
        </form>
      </Dialog>
    </Section>
  );
}

function SiteSelect({ value, onValue, label = 'Site' }: { value: string; onValue: (v: string) => void; label?: string }) {
  const { sites } = useViewer();
  return <Select label={label} value={value} options={sites.map((s) => ({ value: s.id, label: s.name }))} onValue={onValue} />;
}

function PurgeUrlsSection({ done }: { done: () => void }) {
  const { sites } = useViewer();
  const [siteId, setSiteId] = useState(sites[0]?.id ?? '');
  const [pattern, setPattern] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<unknown>(null);
  const purge = useMutation(PurgeUrls);
  const toast = useToast();
  const siteName = sites.find((s) => s.id === siteId)?.name ?? '';
  return (
    <Section
      title="Purge a piece of URL"
      id="purge-urls"
      description="When pages leaked something into their URLs (a token, an email), replace it with [purged] wherever the site stored it: response page URLs, recordings' page views and events."
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (pattern.length < 3 || pattern.length > 2000) {
            setProblem('Enter 3 to 2000 characters.');
            return;
          }
          setProblem(undefined);
          purge.clearError();
          setConfirming(true);
        }}
      >
        <div class="grid-2">
          <SiteSelect value={siteId} onValue={setSiteId} />
          <TextInput
            label="Text to purge"
            value={pattern}
            onValue={setPattern}
            error={problem}
            hint="Literal text, case-sensitive, e.g. “reset_token=abc123”."
            maxLength={2000}
          />
        </div>
        <Button type="submit" variant="danger">
          Purge…
        </Button>
      </form>
      {result != null ? (
        <div role="status">
          <Counts result={result} label="Changed" />
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Purge this text from stored URLs?"
        confirmLabel="Purge"
        danger
        busy={purge.pending}
        error={purge.error ? message(purge.error) : null}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const r = await purge.run({ siteId, pattern });
          if (r) {
            setConfirming(false);
            setResult(r.purgeUrls);
            toast('URLs purged.');
            done();
          }
        }}
      >
        <p>
          Every “<code>{pattern}</code>” stored by {siteName} becomes “[purged]”. This cannot be undone.
        </p>
      </ConfirmDialog>
    </Section>
  );
}

function PurgeRangeSection({ done }: { done: () => void }) {
  const { sites } = useViewer();
  const [siteId, setSiteId] = useState(sites[0]?.id ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [recordings, setRecordings] = useState(true);
  const [responses, setResponses] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<unknown>(null);
  const purge = useMutation(PurgeTimeRange);
  const toast = useToast();
  const siteName = sites.find((s) => s.id === siteId)?.name ?? '';
  const kinds: PurgeKind[] = [...(recordings ? (['RECORDINGS'] as const) : []), ...(responses ? (['RESPONSES'] as const) : [])];
  const fromIso = localToIso(from);
  const toIso = localToIso(to);
  return (
    <Section
      title="Purge a time range"
      id="purge-range"
      description="Delete a site's recordings started, and/or responses submitted, in a period (say, while a page showed personal data unmasked). Times are in your time zone; the end is not included."
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!fromIso || !toIso) return setProblem('Enter both the start and the end.');
          if (fromIso >= toIso) return setProblem('The end must come after the start.');
          if (kinds.length === 0) return setProblem('Choose recordings, responses or both.');
          setProblem(null);
          purge.clearError();
          setConfirming(true);
        }}
      >
        <SiteSelect value={siteId} onValue={setSiteId} />
        <div class="grid-2">
          <TextInput label="From" type="datetime-local" value={from} onValue={setFrom} />
          <TextInput label="To (not included)" type="datetime-local" value={to} onValue={setTo} />
        </div>
        <Checkbox label="Recordings started in the range" checked={recordings} onChecked={setRecordings} />
        <Checkbox label="Survey responses submitted in the range" checked={responses} onChecked={setResponses} />
        {problem ? (
          <p class="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <Button type="submit" variant="danger">
          Purge…
        </Button>
      </form>
      {result != null ? (
        <div role="status">
          <Counts result={result} label="Deleted" />
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Delete everything in this range?"
        confirmLabel="Delete"
        danger
        busy={purge.pending}
        error={purge.error ? message(purge.error) : null}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          if (!fromIso || !toIso) return;
          const r = await purge.run({ siteId, from: fromIso, to: toIso, kinds });
          if (r) {
            setConfirming(false);
            setResult(r.purgeTimeRange);
            toast('Time range purged.');
            done();
          }
        }}
      >
        <p>
          {kinds.map((k) => k.toLowerCase()).join(' and ')} of {siteName} from {from.replace('T', ' ')} to {to.replace('T', ' ')} are deleted. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </Section>
  );
}

export default function Privacy() {
  const { isAdmin, sites } = useViewer();
  const [version, setVersion] = useState(0);
  const done = () => setVersion((v) => v + 1);
  return (
    <>
      <PageHeader title="Privacy">Personal-data requests, purges and the record of who did what.</PageHeader>
      {!isAdmin ? (
        <EmptyState title="Only admins handle privacy requests">Ask an admin of your organization to look up or delete someone's data.</EmptyState>
      ) : (
        <>
          <PersonalData done={done} />
          {sites.length > 0 ? (
            <>
              <PurgeUrlsSection done={done} />
              <PurgeRangeSection done={done} />
            </>
          ) : null}
          <AuditLog version={version} />
        </>
      )}
    </>
  );
}
