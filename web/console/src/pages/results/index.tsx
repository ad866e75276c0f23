// A survey's results: the summary as charts (NPS with its groups and trend, choice and rating
// distributions, sentiment per text question), the responses table with filters, and the
// CSV / JSONL export. Filters apply to the charts and the table alike.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError, csrfToken, errorMessage, toApiError } from '../../api';
import { formatNumber, formatPercent } from '../../format';
import { graphql } from '../../gql';
import type { AnswerOperator, NpsTrendQuery, ResponseFilterInput, ResultsQuery, SentimentLabel } from '../../gql/graphql';
import { useQuery } from '../../hooks';
import {
  Badge,
  Button,
  Checkbox,
  EmptyState,
  ErrorState,
  PageHeader,
  Pagination,
  Section,
  Select,
  Skeleton,
  TextInput,
  usePager,
  useToast,
} from '../../ui';
import { useViewer } from '../../viewer';
import { BarChart, COLORS, ColumnChart, StackedBar, TrendChart, type TrendPoint } from './charts';
import { type FilterForm, activeFilters, buckets, emptyFilter, exportName, filterInput, npsScore } from './lib';
import { type QuestionRef, ResponsesTable } from './responses';
import '../surveys/surveys.css';

const PAGE = 50;

const Results = graphql(`
  query Results($id: ID!, $siteId: ID!, $filter: ResponseFilterInput) {
    survey(id: $id) {
      id siteId name kind status sentimentEnabled createdAt
      questions { id key type prompt options }
      summary(filter: $filter) {
        responses complete
        sentiment { positive neutral negative unscored }
        tags { tag count }
        questions {
          question { id key type prompt }
          answered skipped other average textAnswers
          choices { choice count }
          distribution { value count }
          nps { score promoters passives detractors }
          sentiment { positive neutral negative unscored }
        }
      }
    }
    segments(siteId: $siteId, first: 100) { edges { node { id name } } }
  }
`);

// The API has no NPS trend: eight summaries over equal time slices, asked in one request.
const NpsTrend = graphql(`
  query NpsTrend(
    $id: ID!
    $f0: ResponseFilterInput
    $f1: ResponseFilterInput
    $f2: ResponseFilterInput
    $f3: ResponseFilterInput
    $f4: ResponseFilterInput
    $f5: ResponseFilterInput
    $f6: ResponseFilterInput
    $f7: ResponseFilterInput
  ) {
    survey(id: $id) {
      b0: summary(filter: $f0) { ...TrendSlice }
      b1: summary(filter: $f1) { ...TrendSlice }
      b2: summary(filter: $f2) { ...TrendSlice }
      b3: summary(filter: $f3) { ...TrendSlice }
      b4: summary(filter: $f4) { ...TrendSlice }
      b5: summary(filter: $f5) { ...TrendSlice }
      b6: summary(filter: $f6) { ...TrendSlice }
      b7: summary(filter: $f7) { ...TrendSlice }
    }
  }
`);
graphql(`
  fragment TrendSlice on SurveySummary {
    questions { question { id } nps { promoters passives detractors } }
  }
`);

const ResponsesPage = graphql(`
  query ResponsesPage($surveyId: ID!, $filter: ResponseFilterInput, $first: Int!, $after: String) {
    responses(surveyId: $surveyId, filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id createdAt isComplete visitorId userId userAttributes device browser os country pageUrl hiddenFields tags
          answers { questionId value other comment sentiment { label score } }
          recording { id }
        }
      }
    }
  }
`);

type Summary = NonNullable<ResultsQuery['survey']>['summary'];
type QSummary = Summary['questions'][number];

const SENTIMENTS: { value: SentimentLabel; label: string }[] = [
  { value: 'POSITIVE', label: 'Positive' },
  { value: 'NEUTRAL', label: 'Neutral' },
  { value: 'NEGATIVE', label: 'Negative' },
];

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="stat">
      <span class="stat-value">{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  );
}

function SentimentChart({ s, label }: { s: { positive: number; neutral: number; negative: number; unscored: number }; label: string }) {
  const scored = s.positive + s.neutral + s.negative;
  return (
    <>
      {scored > 0 ? (
        <StackedBar
          label={label}
          parts={[
            { label: 'Positive', count: s.positive, color: COLORS.positive },
            { label: 'Neutral', count: s.neutral, color: COLORS.neutral },
            { label: 'Negative', count: s.negative, color: COLORS.negative },
          ]}
        />
      ) : (
        <p class="muted">No scored answers yet.</p>
      )}
      {s.unscored > 0 ? <p class="muted small">{formatNumber(s.unscored)} not scored (before sentiment was on, blank, or still queued).</p> : null}
    </>
  );
}

function NpsCard({ q, trend, trendLoading }: { q: QSummary; trend: TrendPoint[] | null; trendLoading: boolean }) {
  const n = q.nps!;
  const total = n.promoters + n.passives + n.detractors;
  return (
    <div class="chart-card wide">
      <h3>{q.question.prompt}</h3>
      <p class="muted small">Net Promoter Score · {formatNumber(q.answered)} answers</p>
      <div class="grid-2">
        <div>
          <p>
            <span class="nps-score">{n.score == null ? '—' : Math.round(n.score)}</span> <span class="muted">NPS (−100 to 100)</span>
          </p>
          <StackedBar
            label="Promoters, passives and detractors"
            parts={[
              { label: 'Detractors (0–6)', count: n.detractors, color: COLORS.detractor },
              { label: 'Passives (7–8)', count: n.passives, color: COLORS.passive },
              { label: 'Promoters (9–10)', count: n.promoters, color: COLORS.promoter },
            ]}
          />
          {total > 0 ? <ColumnChart label="Answers per score" values={q.distribution} nps /> : null}
        </div>
        <div>
          <h4>Trend</h4>
          {trend ? (
            trend.some((p) => p.score != null) ? (
              <TrendChart label="NPS over time" points={trend} />
            ) : (
              <p class="muted">No answers in this period.</p>
            )
          ) : trendLoading ? (
            <Skeleton rows={1} height={170} label="Loading the trend…" />
          ) : (
            <p class="muted">The trend could not be loaded.</p>
          )}
        </div>
      </div>
    </div>
  );
}

function QuestionCard({ q }: { q: QSummary }) {
  const t = q.question.type;
  if (t === 'STATEMENT') return null;
  const meta = `${formatNumber(q.answered)} answered · ${formatNumber(q.skipped)} skipped`;
  let body;
  if (t === 'SINGLE_CHOICE' || t === 'MULTIPLE_CHOICE') {
    const items = q.choices.map((c) => ({ label: c.choice, count: c.count }));
    if (q.other > 0) items.push({ label: 'Other', count: q.other });
    body = q.answered ? <BarChart label={q.question.prompt} items={items} total={q.answered} /> : <p class="muted">No answers yet.</p>;
  } else if (t === 'RATING') {
    body = q.answered ? (
      <>
        <p>
          Average <strong>{q.average == null ? '—' : q.average.toFixed(2)}</strong>
        </p>
        <ColumnChart label={q.question.prompt} values={q.distribution} />
      </>
    ) : (
      <p class="muted">No answers yet.</p>
    );
  } else if (q.sentiment) {
    body = <SentimentChart label={`Sentiment of “${q.question.prompt}”`} s={q.sentiment} />;
  } else {
    body = <p>{formatNumber(q.textAnswers ?? q.answered)} answers. Open the responses below to read them.</p>;
  }
  return (
    <div class="chart-card">
      <h3>{q.question.prompt}</h3>
      <p class="muted small">
        {meta}
        {t === 'MULTIPLE_CHOICE' ? ' · several options per answer' : ''}
      </p>
      {body}
    </div>
  );
}

function useTrend(surveyId: string, hasNps: boolean, createdAt: string | undefined, filter: ResponseFilterInput) {
  const vars = useMemo(() => {
    const end = filter.to ?? new Date().toISOString();
    const start = filter.from ?? createdAt ?? end;
    const bs = buckets(start, end, 8);
    const v: Record<string, unknown> = { id: surveyId };
    bs.forEach((b, i) => (v[`f${i}`] = { ...filter, from: b.from, to: b.to }));
    return { vars: v, bs };
    // the end moves with "now": recomputed only when the filter or survey changes
  }, [surveyId, createdAt, JSON.stringify(filter)]);
  const q = useQuery(NpsTrend, vars.vars as { id: string }, !hasNps || !createdAt || vars.bs.length !== 8);
  const points = (questionId: string): TrendPoint[] | null => {
    const s = q.data?.survey as NpsTrendQuery['survey'] | undefined;
    if (!s) return null;
    const slices = [s.b0, s.b1, s.b2, s.b3, s.b4, s.b5, s.b6, s.b7];
    return vars.bs.map((b, i) => {
      const n = slices[i]?.questions.find((x) => x.question.id === questionId)?.nps;
      const answers = n ? n.promoters + n.passives + n.detractors : 0;
      return { from: b.from, to: b.to, score: n ? npsScore(n.promoters, n.passives, n.detractors) : null, answers };
    });
  };
  return { points, loading: q.loading };
}

async function download(siteId: string, surveyId: string, format: 'csv' | 'jsonl'): Promise<void> {
  const url = `/v1/sites/${encodeURIComponent(siteId)}/surveys/${encodeURIComponent(surveyId)}/responses/export?format=${format}`;
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken() } });
  } catch {
    throw new ApiError('NETWORK', 'Loupe cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    throw toApiError(res.status, body, res.headers.get('Retry-After'));
  }
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = exportName(res.headers.get('Content-Disposition'), surveyId, format);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

function ExportButtons({ siteId, surveyId, plan }: { siteId: string; surveyId: string; plan: string }) {
  const [busy, setBusy] = useState<'' | 'csv' | 'jsonl'>('');
  const toast = useToast();
  if (plan !== 'SCALE') {
    return <p class="muted small">Exports (CSV, JSONL) need the Scale plan.</p>;
  }
  const run = async (f: 'csv' | 'jsonl') => {
    setBusy(f);
    try {
      await download(siteId, surveyId, f);
      toast(`Export downloaded (${f.toUpperCase()}).`);
    } catch (e) {
      toast(`The export failed: ${errorMessage(e)}`, 'error');
    } finally {
      setBusy('');
    }
  };
  return (
    <div class="row export-row">
      <Button busy={busy === 'csv'} disabled={!!busy} onClick={() => run('csv')}>
        Download CSV
      </Button>
      <Button busy={busy === 'jsonl'} disabled={!!busy} onClick={() => run('jsonl')}>
        Download JSONL
      </Button>
      <span class="muted small export-note">Every response; filters do not apply.</span>
    </div>
  );
}

function Filters({
  value,
  onApply,
  questions,
  segments,
  tags,
}: {
  value: FilterForm;
  onApply: (f: FilterForm) => void;
  questions: QuestionRef[];
  segments: { id: string; name: string }[];
  tags: string[];
}) {
  const [f, setF] = useState(value);
  useEffect(() => setF(value), [value]);
  const set = <K extends keyof FilterForm>(k: K, v: FilterForm[K]) => setF((x) => ({ ...x, [k]: v }));
  const needsValue = f.operator === 'EQUALS' || f.operator === 'CONTAINS';
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onApply(f);
      }}
      aria-label="Filter responses"
    >
      <div class="filters">
        <TextInput label="From" type="date" value={f.from} onValue={(v) => set('from', v)} />
        <TextInput label="To (inclusive)" type="date" value={f.to} onValue={(v) => set('to', v)} />
        <Select
          label="Device"
          value={f.device}
          options={[
            { value: '', label: 'Any device' },
            { value: 'desktop', label: 'Desktop' },
            { value: 'tablet', label: 'Tablet' },
            { value: 'mobile', label: 'Mobile' },
          ]}
          onValue={(v) => set('device', v)}
        />
        <TextInput label="Country (2 letters)" placeholder="FR" maxLength={2} value={f.country} onValue={(v) => set('country', v)} />
        <Select
          label="Segment"
          value={f.segmentId}
          options={[{ value: '', label: 'Everyone' }, ...segments.map((s) => ({ value: s.id, label: s.name }))]}
          onValue={(v) => set('segmentId', v)}
        />
        <Select
          label="Tag"
          value={f.tag}
          options={[{ value: '', label: 'Any tag' }, ...tags.map((t) => ({ value: t, label: t }))]}
          onValue={(v) => set('tag', v)}
        />
        <fieldset class="plain">
          <legend>Sentiment of a text answer</legend>
          <div class="row">
            {SENTIMENTS.map((s) => (
              <Checkbox
                key={s.value}
                label={s.label}
                checked={f.sentiment.includes(s.value)}
                onChecked={(c) => set('sentiment', c ? [...f.sentiment, s.value] : f.sentiment.filter((x) => x !== s.value))}
              />
            ))}
          </div>
        </fieldset>
        <Select
          label="Answer to"
          value={f.questionId}
          options={[{ value: '', label: 'Any question' }, ...questions.filter((q) => q.type !== 'STATEMENT').map((q) => ({ value: q.id, label: q.prompt.length > 50 ? q.prompt.slice(0, 49) + '…' : q.prompt }))]}
          onValue={(v) => set('questionId', v)}
        />
        <Select
          label="Condition"
          value={f.operator}
          disabled={!f.questionId}
          options={[
            { value: 'EQUALS', label: 'is' },
            { value: 'CONTAINS', label: 'contains' },
            { value: 'ANSWERED', label: 'was answered' },
            { value: 'SKIPPED', label: 'was skipped' },
          ]}
          onValue={(v) => set('operator', v as AnswerOperator)}
        />
        <TextInput label="Answer" disabled={!f.questionId || !needsValue} value={f.value} onValue={(v) => set('value', v)} />
        <Checkbox label="Complete responses only" checked={f.completeOnly} onChecked={(c) => set('completeOnly', c)} />
      </div>
      <div class="filter-actions">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            setF(emptyFilter());
            onApply(emptyFilter());
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}

export default function ResultsPage() {
  const { params } = useRoute();
  const siteId = params.siteId!;
  const surveyId = params.surveyId!;
  const { canWrite, organization } = useViewer();
  const [form, setForm] = useState<FilterForm>(emptyFilter);
  const filter = useMemo(() => filterInput(form), [form]);
  const pager = usePager();
  const q = useQuery(Results, { id: surveyId, siteId, filter });
  const r = useQuery(ResponsesPage, { surveyId, filter, first: PAGE, after: pager.after ?? null });
  const survey = q.data?.survey;
  const summary = survey?.summary;
  const hasNps = !!survey?.questions.some((x) => x.type === 'NPS');
  const trend = useTrend(surveyId, hasNps, survey?.createdAt, filter);
  const questionMap = useMemo(() => new Map((survey?.questions ?? []).map((x) => [x.id, x as QuestionRef])), [survey?.questions]);
  const rows = r.data?.responses.edges.map((e) => e.node) ?? [];
  const nFilters = activeFilters(form);

  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!survey || !summary) return <Skeleton rows={6} height={60} label="Loading results…" />;

  const base = `/sites/${encodeURIComponent(siteId)}/surveys/${encodeURIComponent(surveyId)}`;
  const textQuestions = summary.questions.filter((x) => x.sentiment);
  const npsQuestions = summary.questions.filter((x) => x.question.type === 'NPS' && x.nps);
  const otherQuestions = summary.questions.filter((x) => x.question.type !== 'NPS');

  return (
    <>
      <p class="breadcrumb">
        <a href={`/sites/${encodeURIComponent(siteId)}/surveys`}>Surveys and polls</a>
        {canWrite ? (
          <>
            {' '}
            · <a href={`${base}/edit`}>Edit</a>
          </>
        ) : null}
      </p>
      <PageHeader title={`Results: ${survey.name}`} actions={<ExportButtons siteId={siteId} surveyId={surveyId} plan={organization.plan} />}>
        <Badge tone={survey.status === 'ACTIVE' ? 'good' : survey.status === 'PAUSED' ? 'warn' : survey.status === 'CLOSED' ? 'bad' : 'neutral'}>
          {survey.status.charAt(0) + survey.status.slice(1).toLowerCase()}
        </Badge>{' '}
        {nFilters ? `Filtered (${nFilters} ${nFilters === 1 ? 'filter' : 'filters'}): charts and table show the matching responses.` : 'All responses.'}
      </PageHeader>

      <details class="filter-panel" open={nFilters > 0}>
        <summary>
          <span class="filter-title">Filters</span> <span class="muted">{nFilters ? `${nFilters} on` : 'none: every response counts'}</span>
        </summary>
        <Filters
          value={form}
          onApply={(f) => {
            setForm(f);
            pager.reset();
          }}
          questions={survey.questions}
          segments={q.data?.segments.edges.map((e) => e.node) ?? []}
          tags={summary.tags.map((t) => t.tag)}
        />
      </details>

      <div class="stats" aria-live="polite">
        <Stat label="Responses" value={formatNumber(summary.responses)} />
        <Stat label="Complete" value={formatNumber(summary.complete)} />
        <Stat label="Completion rate" value={summary.responses ? formatPercent((summary.complete / summary.responses) * 100, 0) : '—'} />
        {npsQuestions[0]?.nps ? <Stat label="NPS" value={npsQuestions[0].nps.score == null ? '—' : String(Math.round(npsQuestions[0].nps.score))} /> : null}
      </div>

      {summary.responses === 0 ? (
        <EmptyState title={nFilters ? 'No responses match these filters' : 'No responses yet'}>
          {nFilters
            ? 'Loosen or clear the filters.'
            : survey.status === 'ACTIVE'
              ? 'The survey is active: answers show up here as visitors send them.'
              : 'Activate the survey so visitors can answer it.'}
        </EmptyState>
      ) : (
        <>
          <h2>Summary</h2>
          <div class="charts">
            {npsQuestions.map((x) => (
              <NpsCard key={x.question.id} q={x} trend={trend.points(x.question.id)} trendLoading={trend.loading} />
            ))}
            {otherQuestions.map((x) => (
              <QuestionCard key={x.question.id} q={x} />
            ))}
            {textQuestions.length > 1 ? (
              <div class="chart-card">
                <h3>Sentiment of all text answers</h3>
                <SentimentChart label="Sentiment of all text answers" s={summary.sentiment} />
              </div>
            ) : null}
          </div>
          {!survey.sentimentEnabled && textQuestions.length ? (
            <p class="muted small">Sentiment scoring is off for this survey{canWrite ? ': turn it on in the editor (Scale plan).' : '.'}</p>
          ) : null}
        </>
      )}

      <Section title="Responses" id="responses">
        {r.error && !r.data ? (
          <ErrorState error={r.error} retry={r.reload} />
        ) : !r.data ? (
          <Skeleton rows={6} height={36} label="Loading responses…" />
        ) : rows.length === 0 ? (
          <p class="muted">{nFilters ? 'No responses match these filters.' : 'No responses yet.'}</p>
        ) : (
          <>
            <ResponsesTable rows={rows} questions={questionMap} siteId={siteId} />
            <Pagination
              pager={pager}
              pageInfo={r.data.responses.pageInfo}
              pageSize={PAGE}
              totalCount={summary.responses}
              shown={rows.length}
              label="Response pages"
            />
          </>
        )}
      </Section>
    </>
  );
}
