// Surveys and polls of one site: status, type, responses, dates; activate / pause / close and
// duplicate for WRITE and ADMIN (READ sees the list and the results only).
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { errorMessage } from '../../api';
import { formatNumber } from '../../format';
import { graphql } from '../../gql';
import type { SurveyKind, SurveyListQuery, SurveyStatus } from '../../gql/graphql';
import { useMutation, useQuery } from '../../hooks';
import {
  Badge,
  Button,
  ButtonLink,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  PageHeader,
  Pagination,
  Select,
  Skeleton,
  Table,
  Time,
  usePager,
  useToast,
} from '../../ui';
import { useViewer } from '../../viewer';
import './surveys.css';

const PAGE = 20;

const SurveyList = graphql(`
  query SurveyList($siteId: ID!, $kind: SurveyKind!, $status: SurveyStatus, $first: Int!, $after: String) {
    surveys(siteId: $siteId, kind: $kind, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id name kind status distribution createdAt updatedAt
          questions { id }
          responseCount completeCount
        }
      }
    }
  }
`);

const SetSurveyStatus = graphql(`
  mutation SetSurveyStatus($id: ID!, $status: SurveyStatus!) {
    setSurveyStatus(id: $id, status: $status) { id status updatedAt }
  }
`);

const DuplicateSurvey = graphql(`
  mutation DuplicateSurvey($id: ID!) {
    duplicateSurvey(id: $id) { id name }
  }
`);

type Row = SurveyListQuery['surveys']['edges'][number]['node'];

export const STATUS_TONE: Record<SurveyStatus, 'neutral' | 'good' | 'warn' | 'bad'> = {
  DRAFT: 'neutral',
  ACTIVE: 'good',
  PAUSED: 'warn',
  CLOSED: 'bad',
};
export const STATUS_LABEL: Record<SurveyStatus, string> = { DRAFT: 'Draft', ACTIVE: 'Active', PAUSED: 'Paused', CLOSED: 'Closed' };

/** The status changes offered from each status (DRAFT → ACTIVE ⇄ PAUSED → CLOSED). */
function transitions(s: SurveyStatus): { to: SurveyStatus; label: string }[] {
  switch (s) {
    case 'DRAFT':
      return [{ to: 'ACTIVE', label: 'Activate' }];
    case 'ACTIVE':
      return [
        { to: 'PAUSED', label: 'Pause' },
        { to: 'CLOSED', label: 'Close' },
      ];
    case 'PAUSED':
      return [
        { to: 'ACTIVE', label: 'Resume' },
        { to: 'CLOSED', label: 'Close' },
      ];
    case 'CLOSED':
      return [];
  }
}

const STATUS_FILTER = [
  { value: '', label: 'Any status' },
  { value: 'DRAFT', label: 'Draft' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'PAUSED', label: 'Paused' },
  { value: 'CLOSED', label: 'Closed' },
] as const;

function Actions({ row, siteId, onChanged }: { row: Row; siteId: string; onChanged: () => void }) {
  const setStatus = useMutation(SetSurveyStatus);
  const duplicate = useMutation(DuplicateSurvey);
  const [closing, setClosing] = useState(false);
  const toast = useToast();
  const { route } = useLocation();
  const what = row.kind === 'POLL' ? 'Poll' : 'Survey';

  const change = async (to: SurveyStatus) => {
    const r = await setStatus.run({ id: row.id, status: to });
    setClosing(false);
    if (!r) return;
    toast(`${what} “${row.name}” is now ${STATUS_LABEL[to].toLowerCase()}.`);
    onChanged();
  };
  const copy = async () => {
    const r = await duplicate.run({ id: row.id });
    if (!r) return;
    toast(`Copied as “${r.duplicateSurvey.name}” (a draft).`);
    route(`/sites/${encodeURIComponent(siteId)}/surveys/${encodeURIComponent(r.duplicateSurvey.id)}/edit`);
  };
  const err = setStatus.error ?? duplicate.error;

  return (
    <div class="row-actions">
      <a class="btn btn-secondary btn-small" href={`/sites/${encodeURIComponent(siteId)}/surveys/${encodeURIComponent(row.id)}/edit`} aria-label={`Edit ${row.name}`}>
        Edit
      </a>
      {transitions(row.status).map((t) => (
        <Button
          key={t.to}
          class="btn-small"
          busy={setStatus.pending}
          aria-label={`${t.label} ${row.name}`}
          onClick={() => (t.to === 'CLOSED' ? setClosing(true) : change(t.to))}
        >
          {t.label}
        </Button>
      ))}
      <Button class="btn-small" busy={duplicate.pending} onClick={copy} aria-label={`Duplicate ${row.name}`}>
        Duplicate
      </Button>
      {err && !closing ? (
        <p class="field-error" role="alert">
          {errorMessage(err)}
        </p>
      ) : null}
      <ConfirmDialog
        open={closing}
        title={`Close “${row.name}”?`}
        confirmLabel={`Close ${what.toLowerCase()}`}
        danger
        busy={setStatus.pending}
        error={setStatus.error ? errorMessage(setStatus.error) : null}
        onConfirm={() => change('CLOSED')}
        onCancel={() => {
          setClosing(false);
          setStatus.clearError();
        }}
      >
        <p>Visitors stop seeing it for good and no more answers are accepted. Its results stay. To stop it for a while, pause it instead.</p>
      </ConfirmDialog>
    </div>
  );
}

export default function SurveysPage() {
  const { params } = useRoute();
  const siteId = params.siteId!;
  const { canWrite, sites } = useViewer();
  const [kind, setKind] = useState<SurveyKind>('SURVEY');
  const [status, setStatus] = useState<SurveyStatus | ''>('');
  const pager = usePager();
  const q = useQuery(SurveyList, { siteId, kind, status: status || null, first: PAGE, after: pager.after ?? null });
  const rows: Row[] = q.data?.surveys.edges.map((e) => e.node) ?? [];
  const site = sites.find((s) => s.id === siteId);
  const base = `/sites/${encodeURIComponent(siteId)}/surveys`;
  const noun = kind === 'POLL' ? 'poll' : 'survey';

  const create = canWrite ? (
    <ButtonLink variant="primary" href={`${base}/new${kind === 'POLL' ? '?kind=POLL' : ''}`}>
      New {noun}
    </ButtonLink>
  ) : null;

  return (
    <>
      <PageHeader title="Surveys and polls" actions={create}>
        {site ? `On ${site.name}. ` : ''}A survey asks a few questions in a corner of your pages (or on its own link); a poll is a
        one-to-five-question widget.
      </PageHeader>
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="Show">
          {(['SURVEY', 'POLL'] as const).map((k) => (
            <button
              key={k}
              type="button"
              class="btn btn-secondary"
              aria-pressed={kind === k ? 'true' : 'false'}
              onClick={() => {
                setKind(k);
                pager.reset();
              }}
            >
              {k === 'POLL' ? 'Polls' : 'Surveys'}
            </button>
          ))}
        </div>
        <Select
          label="Status"
          value={status}
          options={STATUS_FILTER}
          onValue={(v) => {
            setStatus(v);
            pager.reset();
          }}
        />
      </div>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={5} height={44} label={`Loading ${noun}s…`} />
      ) : rows.length === 0 ? (
        <EmptyState title={status ? `No ${STATUS_LABEL[status].toLowerCase()} ${noun}s` : `No ${noun}s yet`} action={status ? null : create}>
          {status
            ? 'Pick another status to see the others.'
            : canWrite
              ? `Create a ${noun}: pick questions, who sees it and where, then activate it.`
              : `Someone with the WRITE or ADMIN role can create one.`}
        </EmptyState>
      ) : (
        <>
          <Table
            caption={kind === 'POLL' ? 'Polls' : 'Surveys'}
            rows={rows}
            rowKey={(s) => s.id}
            columns={[
              {
                header: 'Name',
                cell: (s) => (
                  <>
                    <a href={`${base}/${encodeURIComponent(s.id)}/results`}>{s.name}</a>
                    <div class="muted small">
                      {s.questions.length === 1 ? '1 question' : `${s.questions.length} questions`}
                      {s.distribution === 'LINK' ? ' · link' : ' · on site'}
                    </div>
                  </>
                ),
              },
              { header: 'Status', cell: (s) => <Badge tone={STATUS_TONE[s.status]}>{STATUS_LABEL[s.status]}</Badge> },
              {
                header: 'Responses',
                class: 'num',
                cell: (s) => (
                  <a href={`${base}/${encodeURIComponent(s.id)}/results`} aria-label={`${formatNumber(s.responseCount)} responses to ${s.name}`}>
                    {formatNumber(s.responseCount)}
                  </a>
                ),
              },
              { header: 'Complete', class: 'num', cell: (s) => formatNumber(s.completeCount) },
              { header: 'Created', class: 'nowrap', cell: (s) => <Time value={s.createdAt} dateOnly /> },
              { header: 'Updated', class: 'nowrap', cell: (s) => <Time value={s.updatedAt} relative /> },
              ...(canWrite
                ? [{ header: <span class="visually-hidden">Actions</span>, cell: (s: Row) => <Actions row={s} siteId={siteId} onChanged={q.reload} /> }]
                : []),
            ]}
          />
          <Pagination
            pager={pager}
            pageInfo={q.data.surveys.pageInfo}
            pageSize={PAGE}
            totalCount={q.data.surveys.totalCount}
            shown={rows.length}
            label={`${noun} pages`}
          />
        </>
      )}
    </>
  );
}
