// One site: its tag snippet, whether data arrives, and every setting the API exposes, in
// sections that save separately (an Identify refusal does not block a retention change).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { graphql } from '../../gql';
import type { SiteFieldsFragment, UpdateSiteInput } from '../../gql/graphql';
import { ApiError, errorMessage } from '../../api';
import { useMutation, useQuery } from '../../hooks';
import {
  Badge,
  Button,
  Checkbox,
  CodeBlock,
  ConfirmDialog,
  CopyButton,
  Dialog,
  ErrorState,
  FormError,
  PageHeader,
  Section,
  Select,
  Skeleton,
  TextArea,
  TextInput,
  Time,
  useToast,
} from '../../ui';
import { useViewer } from '../../viewer';
import { identifyBlockers, isHexColor, joinLines, parseIntIn, parseLines, planName } from './lib';

graphql(`
  fragment SiteFields on Site {
    id
    name
    allowedDomains
    identifyEnabled
    retentionDays
    surveyCooldownDays
    maskInputs
    urlAllowedParams
    urlPatterns
    recordingEnabled
    recordingSamplePercent
    maskAllText
    requireConsent
    identityVerification
    hasIdentitySecret
    theme { primary background text position font }
    createdAt
    updatedAt
    lastDataAt
    snippet
  }
`);

const SiteSettingsQuery = graphql(`
  query SiteSettings($id: ID!) {
    site(id: $id) { ...SiteFields }
  }
`);

const UpdateSite = graphql(`
  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {
    updateSite(id: $id, input: $input) { ...SiteFields }
  }
`);

const RotateIdentitySecret = graphql(`
  mutation RotateIdentitySecret($siteId: ID!) {
    rotateIdentitySecret(siteId: $siteId) { secret site { ...SiteFields } }
  }
`);

const AcceptDpa = graphql(`
  mutation AcceptDpa {
    acceptDataProcessingAgreement { id dpaAcceptedAt }
  }
`);

type Site = SiteFieldsFragment;
interface SectionProps {
  site: Site;
  onSaved: (site: Site) => void;
  readOnly: boolean;
}

/** A section's form: validates, sends its part of UpdateSiteInput, shows server errors. */
function SettingsForm({
  site,
  onSaved,
  readOnly,
  title,
  id,
  description,
  build,
  children,
}: SectionProps & {
  title: string;
  id: string;
  description?: ComponentChildren;
  /** The input to send, or field errors. */
  build: () => UpdateSiteInput | Record<string, string>;
  children: (errors: Record<string, string>) => ComponentChildren;
}) {
  const save = useMutation(UpdateSite);
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const serverField = save.error instanceof ApiError ? save.error.field : undefined;
  const shown = serverField ? { ...errors, [serverField]: errorMessage(save.error) } : errors;

  const submit = async (e: Event) => {
    e.preventDefault();
    const input = build();
    if (isErrors(input)) {
      setErrors(input as Record<string, string>);
      return;
    }
    setErrors({});
    const r = await save.run({ id: site.id, input: input as UpdateSiteInput });
    if (r) {
      onSaved(r.updateSite);
      toast(`${title} saved.`);
    }
  };

  return (
    <Section title={title} id={id} description={description}>
      <form onSubmit={submit} noValidate>
        <fieldset class="plain" disabled={readOnly || save.pending}>
          <legend class="visually-hidden">{title}</legend>
          {children(shown)}
        </fieldset>
        {serverField && serverField in shown ? null : <FormError error={save.error} />}
        {readOnly ? null : (
          <div class="actions">
            <Button type="submit" variant="primary" busy={save.pending}>
              Save {title.toLowerCase()}
            </Button>
          </div>
        )}
      </form>
    </Section>
  );
}

/** Marker: build() returned field errors (all values strings, keyed by field). */
const ERRORS = Symbol('errors');
function fieldErrors(e: Record<string, string>): Record<string, string> {
  return Object.assign(e, { [ERRORS]: true });
}
function isErrors(v: object): boolean {
  return ERRORS in v;
}

function General(p: SectionProps) {
  const [name, setName] = useState(p.site.name);
  const [domains, setDomains] = useState(joinLines(p.site.allowedDomains));
  const [retention, setRetention] = useState(String(p.site.retentionDays));
  const [cooldown, setCooldown] = useState(String(p.site.surveyCooldownDays));
  return (
    <SettingsForm
      {...p}
      title="General"
      id="general"
      build={() => {
        const bad: Record<string, string> = {};
        if (!name.trim()) bad.name = 'Give the site a name.';
        const days = parseIntIn(retention, 1, 3650, 'Retention');
        if (typeof days === 'string') bad.retentionDays = days;
        const cool = parseIntIn(cooldown, 0, 365, 'The cool-down');
        if (typeof cool === 'string') bad.surveyCooldownDays = cool;
        if (Object.keys(bad).length) return fieldErrors(bad);
        return {
          name: name.trim(),
          allowedDomains: parseLines(domains),
          retentionDays: days as number,
          surveyCooldownDays: cool as number,
        };
      }}
    >
      {(e) => (
        <>
          <TextInput label="Name" value={name} onValue={setName} error={e.name} maxLength={200} />
          <TextArea
            label="Allowed domains"
            hint="One host name a line (example.com, *.example.com). The tag sends data only from pages on these hosts; empty allows any host."
            value={domains}
            onValue={setDomains}
            rows={3}
            error={e.allowedDomains}
          />
          <div class="grid-2">
            <TextInput
              label="Keep data for (days)"
              hint="1–3650. Recordings and responses older than this are deleted automatically."
              type="number"
              min={1}
              max={3650}
              value={retention}
              onValue={setRetention}
              error={e.retentionDays}
            />
            <TextInput
              label="Survey cool-down (days)"
              hint="A visitor who was shown one of this site's surveys sees no other for this many days. 0 turns it off."
              type="number"
              min={0}
              max={365}
              value={cooldown}
              onValue={setCooldown}
              error={e.surveyCooldownDays}
            />
          </div>
        </>
      )}
    </SettingsForm>
  );
}

function Recording(p: SectionProps) {
  const [enabled, setEnabled] = useState(p.site.recordingEnabled);
  const [sample, setSample] = useState(String(p.site.recordingSamplePercent));
  const [maskInputs, setMaskInputs] = useState(p.site.maskInputs);
  const [maskAllText, setMaskAllText] = useState(p.site.maskAllText);
  return (
    <SettingsForm
      {...p}
      title="Session recording"
      id="recording"
      description="Recordings replay what visitors saw and did. Masked text is replaced in the browser, before anything is sent."
      build={() => {
        const pct = parseIntIn(sample, 0, 100, 'The share of visitors');
        if (typeof pct === 'string') return fieldErrors({ recordingSamplePercent: pct });
        return { recordingEnabled: enabled, recordingSamplePercent: pct, maskInputs, maskAllText };
      }}
    >
      {(e) => (
        <>
          <Checkbox label="Record sessions" hint="The tag records visitors' sessions on this site." checked={enabled} onChecked={setEnabled} />
          <TextInput
            label="Share of visitors recorded (%)"
            hint="0–100. The same visitor is always either recorded or not."
            type="number"
            min={0}
            max={100}
            value={sample}
            onValue={setSample}
            error={e.recordingSamplePercent}
          />
          <Checkbox
            label="Mask what visitors type"
            hint="Text typed into inputs is replaced by asterisks in recordings. Recommended."
            checked={maskInputs}
            onChecked={setMaskInputs}
          />
          <Checkbox
            label="Mask all text"
            hint="Every text on the page is masked, not only inputs: for pages that show personal data."
            checked={maskAllText}
            onChecked={setMaskAllText}
          />
        </>
      )}
    </SettingsForm>
  );
}

function PrivacySettings(p: SectionProps) {
  const [consent, setConsent] = useState(p.site.requireConsent);
  const [params, setParams] = useState(joinLines(p.site.urlAllowedParams));
  const [patterns, setPatterns] = useState(joinLines(p.site.urlPatterns));
  return (
    <SettingsForm
      {...p}
      title="Consent and URLs"
      id="privacy"
      description="What the tag may send, and what stored page addresses keep."
      build={() => {
        const ps = parseLines(params);
        const pats = parseLines(patterns);
        const bad: Record<string, string> = {};
        if (ps.length > 50) bad.urlAllowedParams = 'At most 50 parameters.';
        if (pats.length > 20) bad.urlPatterns = 'At most 20 patterns.';
        else {
          for (const pat of pats) {
            if (pat.length > 200) bad.urlPatterns = `“${pat.slice(0, 30)}…” is longer than 200 characters.`;
            else
              try {
                new RegExp(pat);
              } catch {
                bad.urlPatterns = `“${pat}” is not a valid regular expression.`;
              }
          }
        }
        if (Object.keys(bad).length) return fieldErrors(bad);
        return { requireConsent: consent, urlAllowedParams: ps, urlPatterns: pats };
      }}
    >
      {(e) => (
        <>
          <Checkbox
            label="Wait for consent"
            hint={
              <>
                The tag sends nothing until the page calls <code>loupe('consent', true)</code>, e.g. from your cookie banner.
              </>
            }
            checked={consent}
            onChecked={setConsent}
          />
          <TextArea
            label="Query parameters to keep"
            hint="One name a line (at most 50). Stored URLs keep these values and utm_*; every other query value becomes [redacted]."
            value={params}
            onValue={setParams}
            rows={3}
            error={e.urlAllowedParams}
          />
          <TextArea
            label="Extra patterns to mask in URLs"
            hint="One regular expression a line (at most 20, 200 characters each), matched against the stored, percent-encoded URL; matches are masked. Example: /users/[0-9]+"
            value={patterns}
            onValue={setPatterns}
            rows={3}
            error={e.urlPatterns}
          />
        </>
      )}
    </SettingsForm>
  );
}

function Theme(p: SectionProps) {
  const t = p.site.theme;
  const [primary, setPrimary] = useState(t.primary ?? '');
  const [background, setBackground] = useState(t.background ?? '');
  const [text, setText] = useState(t.text ?? '');
  const [position, setPosition] = useState(t.position ?? 'bottom-right');
  const [font, setFont] = useState(t.font ?? '');
  return (
    <SettingsForm
      {...p}
      title="Survey widget"
      id="theme"
      description="How on-site surveys look. Empty colours take the defaults."
      build={() => {
        const bad: Record<string, string> = {};
        for (const [k, v] of [['primary', primary], ['background', background], ['text', text]] as const)
          if (!isHexColor(v.trim())) bad[`theme.${k}`] = 'Write the colour as #rrggbb, e.g. #2457c5.';
        if (Object.keys(bad).length) return fieldErrors(bad);
        const opt = (v: string) => (v.trim() ? v.trim() : null);
        return { theme: { primary: opt(primary), background: opt(background), text: opt(text), position, font: opt(font) } };
      }}
    >
      {(e) => (
        <>
          <div class="grid-2">
            <TextInput label="Accent colour" hint="Buttons and highlights." placeholder="#rrggbb" value={primary} onValue={setPrimary} error={e['theme.primary']} />
            <TextInput label="Background colour" placeholder="#rrggbb" value={background} onValue={setBackground} error={e['theme.background']} />
            <TextInput label="Text colour" placeholder="#rrggbb" value={text} onValue={setText} error={e['theme.text']} />
            <TextInput label="Font" hint="A CSS font family; empty uses the page's font." value={font} onValue={setFont} />
          </div>
          <Select
            label="Position"
            value={position}
            onValue={setPosition}
            options={[
              { value: 'bottom-right', label: 'Bottom right' },
              { value: 'bottom-left', label: 'Bottom left' },
              { value: 'center', label: 'Centre of the page' },
            ]}
          />
        </>
      )}
    </SettingsForm>
  );
}

function Identify({ site, onSaved, readOnly }: SectionProps) {
  const { organization, reload } = useViewer();
  const blockers = identifyBlockers(organization.plan, organization.dpaAcceptedAt);
  const save = useMutation(UpdateSite);
  const rotate = useMutation(RotateIdentitySecret);
  const dpa = useMutation(AcceptDpa);
  const toast = useToast();
  const [confirmDpa, setConfirmDpa] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  // The switches save at once; while saving they show the value asked for.
  const [asked, setAsked] = useState<UpdateSiteInput>({});

  const set = async (input: UpdateSiteInput, done: string) => {
    setAsked(input);
    const r = await save.run({ id: site.id, input });
    setAsked({});
    if (r) {
      onSaved(r.updateSite);
      toast(done);
    }
  };

  return (
    <Section
      title="Identify"
      id="identify"
      description={
        <>
          Identify lets your pages tell Loupe who a visitor is (<code>loupe('identify', userId, attributes)</code>), so responses and
          recordings are linked to your users and segments can target them. That is personal data, hence two conditions: your plan
          must include it (Business or Scale; yours is {planName(organization.plan)}) and an admin must accept the data-processing
          agreement.
        </>
      }
    >
      <dl class="facts">
        <dt>Data-processing agreement</dt>
        <dd>
          {organization.dpaAcceptedAt ? (
            <>
              Accepted <Time value={organization.dpaAcceptedAt} />
            </>
          ) : (
            <>
              Not accepted yet{' '}
              {!readOnly ? (
                <Button variant="link" onClick={() => setConfirmDpa(true)}>
                  Review and accept
                </Button>
              ) : null}
            </>
          )}
        </dd>
        <dt>Identity secret</dt>
        <dd>{site.hasIdentitySecret ? 'Generated (shown only once, when generated)' : 'None yet'}</dd>
      </dl>
      <fieldset class="plain" disabled={readOnly || save.pending}>
        <legend class="visually-hidden">Identify settings</legend>
        <Checkbox
          label="Accept identify calls"
          checked={asked.identifyEnabled ?? site.identifyEnabled}
          disabled={readOnly || (!site.identifyEnabled && blockers.length > 0)}
          hint={!site.identifyEnabled && blockers.length ? blockers.join(' ') : 'Turning it off ignores identify calls from now on; stored users stay.'}
          onChecked={(on) => set({ identifyEnabled: on }, on ? 'Identify turned on.' : 'Identify turned off.')}
        />
        <Checkbox
          label="Require identity verification"
          checked={asked.identityVerification ?? site.identityVerification}
          disabled={readOnly || (!site.identityVerification && !site.hasIdentitySecret)}
          hint={
            site.hasIdentitySecret || site.identityVerification
              ? 'Identify calls must carry user_hash = HMAC-SHA256(identity secret, user id), computed on your server, so nobody can pose as one of your users.'
              : 'Generate an identity secret first (below).'
          }
          onChecked={(on) => set({ identityVerification: on }, on ? 'Identity verification required.' : 'Identity verification turned off.')}
        />
      </fieldset>
      <FormError error={save.error ?? rotate.error} />
      {readOnly ? null : (
        <div class="actions">
          <Button onClick={() => (site.hasIdentitySecret ? setConfirmRotate(true) : void doRotate())} busy={rotate.pending}>
            {site.hasIdentitySecret ? 'Rotate identity secret' : 'Generate identity secret'}
          </Button>
        </div>
      )}

      <ConfirmDialog
        open={confirmDpa}
        title="Data-processing agreement"
        confirmLabel="Accept for the organization"
        busy={dpa.pending}
        error={dpa.error ? errorMessage(dpa.error) : null}
        onCancel={() => setConfirmDpa(false)}
        onConfirm={async () => {
          const r = await dpa.run({});
          if (r) {
            setConfirmDpa(false);
            reload();
            toast('Data-processing agreement accepted.');
          }
        }}
      >
        <p>
          By accepting, you confirm for <strong>{organization.name}</strong> that you control the personal data your sites send with
          Identify (user ids and attributes), that you have a lawful basis to collect it, and that you will answer people's requests to
          see or delete it (the Privacy page does that).
        </p>
        <p>This applies to every site of the organization and is recorded with today's date.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmRotate}
        title="Rotate the identity secret?"
        confirmLabel="Rotate secret"
        danger
        busy={rotate.pending}
        onCancel={() => setConfirmRotate(false)}
        onConfirm={() => void doRotate()}
      >
        <p>
          A new secret replaces the old one at once: identify calls signed with the old secret are refused from now on, so update
          your server right after.
        </p>
      </ConfirmDialog>

      <Dialog
        open={secret != null}
        title="Identity secret"
        onClose={() => setSecret(null)}
        wide
        actions={
          <Button variant="primary" onClick={() => setSecret(null)}>
            I have saved it
          </Button>
        }
      >
        <p class="callout callout-warn">This secret is shown only now. Store it on your server; never put it in a page.</p>
        <div class="code-block">
          <pre tabIndex={0} aria-label="Identity secret" class="secret">
            {secret}
          </pre>
          <CopyButton text={secret ?? ''} what="Secret" />
        </div>
        <p>On your server, for each signed-in user, compute and pass to the page:</p>
        <pre class="secret">{`user_hash = hex(HMAC-SHA256(secret, user_id))\nloupe('identify', user_id, { ... }, { user_hash })`}</pre>
      </Dialog>
    </Section>
  );

  async function doRotate() {
    const r = await rotate.run({ siteId: site.id });
    setConfirmRotate(false);
    if (r) {
      onSaved(r.rotateIdentitySecret.site);
      setSecret(r.rotateIdentitySecret.secret);
    }
  }
}

function Install({ site, recheck, checking }: { site: Site; recheck: () => void; checking: boolean }) {
  return (
    <Section
      title="Install the tag"
      id="install"
      description={
        <>
          Paste this snippet into every page of the site, just before <code>&lt;/head&gt;</code>. It loads asynchronously and does
          nothing on hosts that are not allowed.
        </>
      }
    >
      <CodeBlock code={site.snippet} label="Tag snippet" what="Snippet" />
      <dl class="facts data-received">
        <dt>Last data received</dt>
        <dd>
          {site.lastDataAt ? (
            <>
              <Time value={site.lastDataAt} relative /> <Badge tone="good">The tag works</Badge>
            </>
          ) : (
            <>
              No data yet: paste the snippet and load a page.{' '}
              <Button variant="secondary" onClick={recheck} busy={checking}>
                Check again
              </Button>
            </>
          )}
        </dd>
      </dl>
    </Section>
  );
}

export default function SiteSettingsPage() {
  const { params } = useRoute();
  const siteId = params.siteId ?? '';
  const { isAdmin, reload: reloadViewer } = useViewer();
  const q = useQuery(SiteSettingsQuery, { id: siteId });
  const [saved, setSaved] = useState<Site | null>(null);
  const fetched = q.data?.site;
  const kept = saved && saved.id === siteId ? saved : fetched;
  // "Check again" refetches the site: its lastDataAt wins over a saved form's copy.
  const site = kept && fetched && kept !== fetched ? { ...kept, lastDataAt: fetched.lastDataAt ?? kept.lastDataAt } : kept;
  const onSaved = (s: Site) => {
    if (site && s.name !== site.name) reloadViewer();
    setSaved(s);
  };

  if (q.error && !q.data) {
    return (
      <>
        <PageHeader title="Site" />
        <ErrorState error={q.error} retry={q.reload} />
      </>
    );
  }
  if (!site) {
    return (
      <>
        <PageHeader title="Site" />
        <Skeleton rows={6} height={60} label="Loading the site…" />
      </>
    );
  }
  const props = { site, onSaved, readOnly: !isAdmin };
  return (
    <div key={site.id}>
      <p class="breadcrumb">
        <a href="/sites">Sites</a> /
      </p>
      <PageHeader title={site.name}>
        Site id {site.id} · created <Time value={site.createdAt} /> · settings changed <Time value={site.updatedAt} relative />
      </PageHeader>
      {!isAdmin ? <p class="callout">Only admins can change site settings; you can read them.</p> : null}
      <Install site={site} recheck={q.reload} checking={q.loading} />
      <General {...props} />
      <Recording {...props} />
      <PrivacySettings {...props} />
      <Identify {...props} />
      <Theme {...props} />
    </div>
  );
}
