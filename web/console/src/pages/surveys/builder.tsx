// The survey and poll builder (new and edit): basics, questions of every type with their
// options and logic, the readable path view, targeting, and a live preview drawn by the tag's
// own renderer. API validation errors land on their field (`extensions.field`).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, errorMessage } from '../../api';
import { graphql } from '../../gql';
import type { Frequency, QuestionType, SurveyDistribution, SurveyEditQuery, SurveyStatus, UrlMatch } from '../../gql/graphql';
import { useMutation, useQuery } from '../../hooks';
import {
  Badge,
  Button,
  Checkbox,
  CodeBlock,
  ConfirmDialog,
  EmptyState,
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
import {
  type Draft,
  type DraftTargeting,
  type Problems,
  QUESTION_TYPES,
  allPaths,
  branches,
  checkDraft,
  draftFromSurvey,
  emptyDraft,
  moveQuestion,
  newQuestion,
  pathText,
  problemAt,
  qLabel,
  removeQuestion,
  renameKey,
  surveyFields,
  toWidget,
  uid,
} from './model';
import { SurveyPreview } from './preview';
import { QuestionEditor } from './questions';
import './surveys.css';

const SurveyEdit = graphql(`
  query SurveyEdit($id: ID!) {
    survey(id: $id) {
      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt
      targeting {
        urlRules { kind value exclude }
        devices samplingPercent startsAt endsAt frequency segmentId
      }
      questions {
        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle
        logic { operator value values number goTo }
      }
    }
  }
`);

const BuilderSite = graphql(`
  query BuilderSite($siteId: ID!) {
    site(id: $siteId) {
      id name identifyEnabled
      theme { primary background text position font }
    }
    segments(siteId: $siteId, first: 100) {
      edges { node { id name } }
    }
  }
`);

const CreateSurvey = graphql(`
  mutation CreateSurvey($input: CreateSurveyInput!) {
    createSurvey(input: $input) { id name }
  }
`);

const UpdateSurvey = graphql(`
  mutation UpdateSurvey($id: ID!, $input: UpdateSurveyInput!) {
    updateSurvey(id: $id, input: $input) {
      id siteId kind name status thankYou distribution linkUrl hiddenFields sentimentEnabled sentimentEnabledAt createdAt updatedAt
      targeting {
        urlRules { kind value exclude }
        devices samplingPercent startsAt endsAt frequency segmentId
      }
      questions {
        id key position type prompt required options allowOther scaleMax lowLabel highLabel displayStyle
        logic { operator value values number goTo }
      }
    }
  }
`);

const BuilderSetStatus = graphql(`
  mutation BuilderSetStatus($id: ID!, $status: SurveyStatus!) {
    setSurveyStatus(id: $id, status: $status) { id status updatedAt }
  }
`);

const SetSentiment = graphql(`
  mutation SetSurveySentiment($id: ID!, $enabled: Boolean!) {
    setSurveySentiment(id: $id, enabled: $enabled) { id sentimentEnabled sentimentEnabledAt }
  }
`);

const RotateLink = graphql(`
  mutation RotateSurveyLink($id: ID!) {
    rotateSurveyLink(id: $id) { id linkUrl }
  }
`);

type Survey = NonNullable<SurveyEditQuery['survey']>;

const URL_KINDS: { value: UrlMatch; label: string }[] = [
  { value: 'CONTAINS', label: 'contains' },
  { value: 'EXACT', label: 'is exactly' },
  { value: 'STARTS_WITH', label: 'starts with' },
  { value: 'ENDS_WITH', label: 'ends with' },
  { value: 'REGEX', label: 'matches (regex)' },
];
const FREQUENCIES: { value: Frequency; label: string }[] = [
  { value: 'UNTIL_RESPONDED', label: 'Until answered or dismissed' },
  { value: 'ONCE', label: 'Once per visitor' },
  { value: 'ALWAYS', label: 'Every matching page view' },
];
const DEVICES = [
  { value: 'desktop', label: 'Desktop' },
  { value: 'tablet', label: 'Tablet' },
  { value: 'mobile', label: 'Mobile' },
];
const STATUS_LABEL: Record<SurveyStatus, string> = { DRAFT: 'Draft', ACTIVE: 'Active', PAUSED: 'Paused', CLOSED: 'Closed' };
const STATUS_TONE: Record<SurveyStatus, 'neutral' | 'good' | 'warn' | 'bad'> = { DRAFT: 'neutral', ACTIVE: 'good', PAUSED: 'warn', CLOSED: 'bad' };

/** The readable path view: per question where each answer leads, then every path. */
function PathView({ draft }: { draft: Draft }) {
  const { paths, more } = useMemo(() => allPaths(draft.questions), [draft.questions]);
  if (!draft.questions.length) return <p class="muted">No questions yet.</p>;
  return (
    <>
      <ol class="flow">
        {draft.questions.map((q, i) => (
          <li key={q.uid}>
            <strong>{qLabel(i)}</strong> <span class="flow-prompt">{q.prompt.trim() || '(no text yet)'}</span>
            <ul>
              {branches(draft.questions, i).map((b, k) => (
                <li key={k}>
                  {b.when} → <strong>{qLabel(b.to)}</strong>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <h3 class="paths-title">Possible paths</h3>
      <ul class="paths">
        {paths.map((p, i) => (
          <li key={i}>{pathText(p)}</li>
        ))}
      </ul>
      {more ? <p class="muted small">More paths exist; only the first {paths.length} are listed.</p> : null}
    </>
  );
}

function TargetingEditor({
  t,
  onChange,
  problems,
  segments,
  identifyEnabled,
  link,
}: {
  t: DraftTargeting;
  onChange: (t: DraftTargeting) => void;
  problems: Problems;
  segments: { id: string; name: string }[];
  identifyEnabled: boolean;
  link: boolean;
}) {
  return (
    <>
      {link ? (
        <p class="callout">This survey is answered on its own link: the page rules, devices and sampling below only apply if you switch it back to the site.</p>
      ) : null}
      <fieldset class="plain">
        <legend>Pages</legend>
        <p class="field-hint">Shown on pages matching any “show” rule and no “hide” rule. No rules: every page.</p>
        {problemAt(problems, 'targeting.urlRules') ? <p class="field-error">{problemAt(problems, 'targeting.urlRules')}</p> : null}
        <ol class="url-rules">
          {t.urlRules.map((r, i) => (
            <li key={r.uid} class="url-rule">
              <Select
                label={`Rule ${i + 1}: show or hide`}
                value={r.exclude ? 'hide' : 'show'}
                options={[
                  { value: 'show', label: 'Show' },
                  { value: 'hide', label: 'Hide' },
                ]}
                onValue={(v) => onChange({ ...t, urlRules: t.urlRules.map((x, k) => (k === i ? { ...x, exclude: v === 'hide' } : x)) })}
              />
              <Select
                label={`Rule ${i + 1}: where the URL`}
                value={r.kind}
                options={URL_KINDS}
                onValue={(v) => onChange({ ...t, urlRules: t.urlRules.map((x, k) => (k === i ? { ...x, kind: v } : x)) })}
              />
              <TextInput
                label={`Rule ${i + 1} value`}
                value={r.value}
                placeholder={r.kind === 'REGEX' ? '^/pricing(/|$)' : '/pricing'}
                error={problemAt(problems, `targeting.urlRules[${i}].value`)}
                onValue={(v) => onChange({ ...t, urlRules: t.urlRules.map((x, k) => (k === i ? { ...x, value: v } : x)) })}
              />
              <Button
                class="btn-small btn-remove"
                onClick={() => onChange({ ...t, urlRules: t.urlRules.filter((_, k) => k !== i) })}
                aria-label={`Remove page rule ${i + 1}`}
              >
                Remove
              </Button>
            </li>
          ))}
        </ol>
        <Button
          class="btn-small"
          disabled={t.urlRules.length >= 50}
          onClick={() => onChange({ ...t, urlRules: [...t.urlRules, { uid: uid(), kind: 'CONTAINS', value: '', exclude: false }] })}
        >
          Add page rule
        </Button>
      </fieldset>
      <fieldset class="plain">
        <legend>Devices</legend>
        <p class="field-hint">None ticked: every device.</p>
        {problemAt(problems, 'targeting.devices') ? <p class="field-error">{problemAt(problems, 'targeting.devices')}</p> : null}
        <div class="row">
          {DEVICES.map((d) => (
            <Checkbox
              key={d.value}
              label={d.label}
              checked={t.devices.includes(d.value)}
              onChecked={(c) => onChange({ ...t, devices: c ? [...t.devices, d.value] : t.devices.filter((x) => x !== d.value) })}
            />
          ))}
        </div>
      </fieldset>
      <div class="grid-2">
        <TextInput
          label="Share of visitors (%)"
          hint="0–100; the same visitor always gets the same answer."
          type="number"
          min={0}
          max={100}
          value={t.samplingPercent}
          error={problemAt(problems, 'targeting.samplingPercent')}
          onValue={(v) => onChange({ ...t, samplingPercent: v })}
        />
        <Select
          label="How often"
          hint="Once: shown once, answered or not."
          value={t.frequency}
          options={FREQUENCIES}
          onValue={(v) => onChange({ ...t, frequency: v })}
        />
        <TextInput
          label="Starts"
          hint="Your time zone. Empty: as soon as it is active."
          type="datetime-local"
          value={t.startsAt}
          error={problemAt(problems, 'targeting.startsAt')}
          onValue={(v) => onChange({ ...t, startsAt: v })}
        />
        <TextInput
          label="Ends"
          hint="Empty: until you pause or close it."
          type="datetime-local"
          value={t.endsAt}
          error={problemAt(problems, 'targeting.endsAt')}
          onValue={(v) => onChange({ ...t, endsAt: v })}
        />
      </div>
      <Select
        label="Segment"
        hint={
          identifyEnabled
            ? 'Only identified visitors in this segment see it.'
            : 'Segments need the Identify API, which is off for this site (turn it on in the site settings).'
        }
        value={t.segmentId}
        options={[{ value: '', label: 'Everyone' }, ...segments.map((s) => ({ value: s.id, label: s.name }))]}
        error={problemAt(problems, 'targeting.segmentId')}
        onValue={(v) => onChange({ ...t, segmentId: v })}
      />
    </>
  );
}

/** Status, link and sentiment of a saved survey: changes apply at once. */
function LiveSettings({ survey, onChanged, canWrite, plan }: { survey: Survey; onChanged: () => void; canWrite: boolean; plan: string }) {
  const status = useMutation(BuilderSetStatus);
  const sentiment = useMutation(SetSentiment);
  const rotate = useMutation(RotateLink);
  const toast = useToast();
  const next: { to: SurveyStatus; label: string }[] =
    survey.status === 'DRAFT'
      ? [{ to: 'ACTIVE', label: 'Activate' }]
      : survey.status === 'ACTIVE'
        ? [
            { to: 'PAUSED', label: 'Pause' },
            { to: 'CLOSED', label: 'Close' },
          ]
        : survey.status === 'PAUSED'
          ? [
              { to: 'ACTIVE', label: 'Resume' },
              { to: 'CLOSED', label: 'Close' },
            ]
          : [];
  const [confirm, setConfirm] = useState<'' | 'close' | 'rotate'>('');
  const change = async (to: SurveyStatus) => {
    const r = await status.run({ id: survey.id, status: to });
    setConfirm('');
    if (r) {
      toast(`Now ${STATUS_LABEL[to].toLowerCase()}.`);
      onChanged();
    }
  };
  return (
    <Section title="Status and publishing" id="live">
      <p>
        <Badge tone={STATUS_TONE[survey.status]}>{STATUS_LABEL[survey.status]}</Badge>{' '}
        <span class="muted">
          Created <Time value={survey.createdAt} />, last changed <Time value={survey.updatedAt} relative />.
        </span>
      </p>
      {canWrite && next.length ? (
        <div class="actions">
          {next.map((n) => (
            <Button key={n.to} variant={n.to === 'ACTIVE' ? 'primary' : n.to === 'CLOSED' ? 'danger' : 'secondary'} busy={status.pending} onClick={() => (n.to === 'CLOSED' ? setConfirm('close') : change(n.to))}>
              {n.label}
            </Button>
          ))}
          <span class="muted small">Only active surveys are shown and answered.</span>
        </div>
      ) : null}
      <FormError error={status.error} />
      {survey.distribution === 'LINK' && survey.linkUrl ? (
        <>
          <h3 class="subhead">Link</h3>
          <CodeBlock code={survey.linkUrl} label="Survey link" what="The link" />
          <p class="field-hint">Answerable while active. Prefill an answer with ?q.&lt;key&gt;=value.</p>
          {canWrite ? (
            <Button
              busy={rotate.pending}
              onClick={() => setConfirm('rotate')}
            >
              Make a new link
            </Button>
          ) : null}
          <FormError error={rotate.error} />
        </>
      ) : null}
      <h3 class="subhead">Sentiment of text answers</h3>
      <Checkbox
        label="Score the sentiment of text answers"
        hint={
          <>
            {plan === 'SCALE' ? 'Only answers submitted after turning it on are scored.' : 'Needs the Scale plan. Only answers submitted after turning it on are scored.'}
            {survey.sentimentEnabledAt ? (
              <>
                {' '}
                On since <Time value={survey.sentimentEnabledAt} />.
              </>
            ) : null}
          </>
        }
        checked={survey.sentimentEnabled}
        disabled={!canWrite || sentiment.pending || (plan !== 'SCALE' && !survey.sentimentEnabled)}
        onChecked={async (c) => {
          if (await sentiment.run({ id: survey.id, enabled: c })) {
            toast(c ? 'Sentiment scoring on.' : 'Sentiment scoring off.');
            onChanged();
          }
        }}
      />
      <FormError error={sentiment.error} />
      <ConfirmDialog
        open={confirm === 'close'}
        title={`Close “${survey.name}”?`}
        confirmLabel="Close it"
        danger
        busy={status.pending}
        error={status.error ? errorMessage(status.error) : null}
        onConfirm={() => change('CLOSED')}
        onCancel={() => setConfirm('')}
      >
        <p>Visitors stop seeing it for good and no more answers are accepted. Its results stay. To stop it for a while, pause it instead.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'rotate'}
        title="Make a new link?"
        confirmLabel="Make a new link"
        danger
        busy={rotate.pending}
        error={rotate.error ? errorMessage(rotate.error) : null}
        onConfirm={async () => {
          if (await rotate.run({ id: survey.id })) {
            setConfirm('');
            toast('New link made; the old one no longer works.');
            onChanged();
          }
        }}
        onCancel={() => setConfirm('')}
      >
        <p>The current link stops working at once: anyone you sent it to will see “not available”.</p>
      </ConfirmDialog>
    </Section>
  );
}

export default function BuilderPage() {
  const { params, query } = useRoute();
  const siteId = params.siteId!;
  const surveyId = params.surveyId;
  const { route } = useLocation();
  const { canWrite, organization } = useViewer();
  const toast = useToast();
  const existing = useQuery(SurveyEdit, { id: surveyId ?? '' }, !surveyId);
  const site = useQuery(BuilderSite, { siteId });
  const [draft, setDraft] = useState<Draft | null>(() => (surveyId ? null : emptyDraft(query.kind === 'POLL' ? 'POLL' : 'SURVEY')));
  const [survey, setSurvey] = useState<Survey | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [addType, setAddType] = useState<QuestionType>('SINGLE_CHOICE');
  const [dirty, setDirty] = useState(false);
  const create = useMutation(CreateSurvey);
  const update = useMutation(UpdateSurvey);
  const saving = create.pending || update.pending;
  const saveError = create.error ?? update.error;

  useEffect(() => {
    const s = existing.data?.survey;
    if (!s) return;
    setSurvey(s);
    if (!dirty) setDraft(draftFromSurvey(s));
  }, [existing.data]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const widget = useMemo(() => (draft ? toWidget(draft) : null), [draft]);

  if (surveyId && existing.error && !existing.data) return <ErrorState error={existing.error} retry={existing.reload} />;
  if (!draft) return <Skeleton rows={8} height={48} label="Loading the survey…" />;
  if (survey && survey.siteId !== siteId) {
    return (
      <EmptyState title="This survey belongs to another site" action={<a href={`/sites/${encodeURIComponent(survey.siteId)}/surveys/${encodeURIComponent(survey.id)}/edit`}>Open it on its site</a>} />
    );
  }

  const noun = draft.kind === 'POLL' ? 'poll' : 'survey';
  const Noun = draft.kind === 'POLL' ? 'Poll' : 'Survey';
  const edit = (d: Draft) => {
    setDraft(d);
    setDirty(true);
  };
  const setQuestions = (qs: Draft['questions']) => edit({ ...draft, questions: qs });
  const readOnly = !canWrite || survey?.status === 'CLOSED';

  const save = async (e: Event) => {
    e.preventDefault();
    const found = checkDraft(draft);
    setProblems(found);
    if (Object.keys(found).length) {
      toast(`Fix the ${Object.keys(found).length === 1 ? 'marked field' : `${Object.keys(found).length} marked fields`} first.`, 'error');
      focusFirstProblem();
      return;
    }
    const fields = surveyFields(draft);
    // A refusal is shown by <ServerErrors>, on its field when the server names one.
    if (!surveyId) {
      const r = await create.run({ input: { siteId, kind: draft.kind, ...fields } });
      if (r) {
        setDirty(false);
        toast(`${Noun} “${r.createSurvey.name}” saved as a draft. Activate it when it is ready.`);
        route(`/sites/${encodeURIComponent(siteId)}/surveys/${encodeURIComponent(r.createSurvey.id)}/edit`, true);
      }
    } else {
      const r = await update.run({ id: surveyId, input: fields });
      if (r?.updateSurvey) {
        setSurvey(r.updateSurvey);
        setDraft(draftFromSurvey(r.updateSurvey));
        setDirty(false);
        toast(`${Noun} saved.`);
      }
    }
  };

  return (
    <>
      <p class="breadcrumb">
        <a href={`/sites/${encodeURIComponent(siteId)}/surveys`}>Surveys and polls</a>
        {survey ? (
          <>
            {' '}
            · <a href={`/sites/${encodeURIComponent(siteId)}/surveys/${encodeURIComponent(survey.id)}/results`}>Results</a>
          </>
        ) : null}
      </p>
      <PageHeader
        title={surveyId ? (survey ? `Edit “${survey.name}”` : `Edit ${noun}`) : `New ${noun}`}
        actions={
          !readOnly ? (
            <Button variant="primary" type="submit" form="builder" busy={saving}>
              {surveyId ? 'Save changes' : `Save ${noun}`}
            </Button>
          ) : null
        }
      >
        {!canWrite
          ? 'Your role can look but not change surveys.'
          : survey?.status === 'CLOSED'
            ? 'This survey is closed: duplicate it from the list to run it again.'
            : surveyId
              ? 'Changes reach visitors once saved. Questions you remove keep their past answers.'
              : 'It is saved as a draft: nobody sees it until you activate it.'}
      </PageHeader>
      <ServerErrors error={saveError} onProblems={setProblems} />
      <div class="builder">
        <div>
          {survey ? <LiveSettings survey={survey} canWrite={canWrite} plan={organization.plan} onChanged={existing.reload} /> : null}
          <form id="builder" class="builder-form" onSubmit={save} noValidate>
            <fieldset class="plain" disabled={readOnly}>
              <Section title="Basics" id="basics">
                <TextInput
                  label="Name"
                  hint="Only your team sees it."
                  value={draft.name}
                  maxLength={200}
                  error={problemAt(problems, 'name')}
                  onValue={(v) => edit({ ...draft, name: v })}
                />
                <div class="grid-2">
                  <Select
                    label="Kind"
                    hint={surveyId ? 'Fixed once saved.' : 'A poll has one to five questions.'}
                    value={draft.kind}
                    disabled={!!surveyId}
                    options={[
                      { value: 'SURVEY', label: 'Survey' },
                      { value: 'POLL', label: 'Poll' },
                    ]}
                    onValue={(v) => edit({ ...draft, kind: v })}
                  />
                  <Select
                    label="Where it is answered"
                    value={draft.distribution}
                    options={[
                      { value: 'SITE', label: 'On the site (browser tag)' },
                      { value: 'LINK', label: 'On its own link' },
                    ]}
                    error={problemAt(problems, 'distribution')}
                    onValue={(v) => edit({ ...draft, distribution: v as SurveyDistribution })}
                  />
                </div>
                <TextInput
                  label="Thank-you message"
                  hint="Shown after the last answer. Empty: “Thank you!”."
                  value={draft.thankYou}
                  maxLength={500}
                  error={problemAt(problems, 'thankYou')}
                  onValue={(v) => edit({ ...draft, thankYou: v })}
                />
                {draft.distribution === 'LINK' ? (
                  <TextArea
                    label="Hidden fields"
                    hint="URL parameters recorded with each response, one name a line (e.g. plan, source)."
                    rows={3}
                    value={draft.hiddenFields}
                    error={problemAt(problems, 'hiddenFields', true)}
                    onValue={(v) => edit({ ...draft, hiddenFields: v })}
                  />
                ) : null}
              </Section>

              <Section title="Questions" id="questions" description={draft.kind === 'POLL' ? 'A poll has one to five questions.' : undefined}>
                {problemAt(problems, 'questions') ? <p class="field-error">{problemAt(problems, 'questions')}</p> : null}
                {draft.questions.length === 0 ? <p class="muted">No questions yet: add one below.</p> : null}
                {draft.questions.map((q, i) => (
                  <QuestionEditor
                    key={q.uid}
                    q={q}
                    index={i}
                    count={draft.questions.length}
                    questions={draft.questions}
                    problems={problems}
                    onChange={(nq) => setQuestions(draft.questions.map((x, k) => (k === i ? nq : x)))}
                    onKey={(key) => setQuestions(renameKey(draft.questions, i, key))}
                    onMove={(to) => setQuestions(moveQuestion(draft.questions, i, to))}
                    onRemove={() => setQuestions(removeQuestion(draft.questions, i))}
                  />
                ))}
                <div class="add-question">
                  <Select label="New question type" value={addType} options={QUESTION_TYPES} onValue={setAddType} />
                  <Button
                    disabled={draft.kind === 'POLL' ? draft.questions.length >= 5 : draft.questions.length >= 100}
                    onClick={() => setQuestions([...draft.questions, newQuestion(addType, draft.questions)])}
                  >
                    Add question
                  </Button>
                </div>
              </Section>

              <Section title="Logic paths" id="paths" description="Where each answer leads, as set by the logic rules above.">
                <PathView draft={draft} />
              </Section>

              <Section title="Targeting" id="targeting" description="Who sees it, where, when and how often.">
                <TargetingEditor
                  t={draft.targeting}
                  problems={problems}
                  onChange={(t) => edit({ ...draft, targeting: t })}
                  segments={site.data?.segments.edges.map((e) => e.node) ?? []}
                  identifyEnabled={site.data?.site?.identifyEnabled ?? true}
                  link={draft.distribution === 'LINK'}
                />
              </Section>
            </fieldset>
            {!readOnly ? (
              <div class="actions">
                <Button variant="primary" type="submit" busy={saving}>
                  {surveyId ? 'Save changes' : `Save ${noun}`}
                </Button>
                {dirty ? <span class="muted small">Unsaved changes</span> : null}
              </div>
            ) : null}
          </form>
        </div>
        <aside class="builder-preview" aria-label="Preview">
          <h2>Preview</h2>
          {widget ? <SurveyPreview widget={widget} theme={site.data?.site?.theme} /> : null}
        </aside>
      </div>
    </>
  );
}

/** A save the server refused: the message on its field when it names one, else above the form. */
function ServerErrors({ error, onProblems }: { error: unknown; onProblems: (p: Problems) => void }) {
  const field = error instanceof ApiError ? error.field : undefined;
  useEffect(() => {
    if (error instanceof ApiError && error.field) {
      onProblems({ [error.field]: error.message });
      focusFirstProblem();
    }
  }, [error]);
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {field ? `${errorMessage(error)} (marked below)` : errorMessage(error)}
    </p>
  );
}

function focusFirstProblem() {
  requestAnimationFrame(() => {
    const bad = document.querySelector<HTMLElement>('.builder-form [aria-invalid="true"], .builder-form .field-error');
    if (!bad) return;
    bad.scrollIntoView({ block: 'center' });
    if (bad.matches('input, select, textarea')) bad.focus();
  });
}
