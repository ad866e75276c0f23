// The responses table: one light row per response (50 a page renders well under 300 ms), the
// answers, sentiment, user and recording only for the rows opened.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { ResponsesPageQuery } from '../../gql/graphql';
import { Badge, Time } from '../../ui';
import { answerText, attributesText } from './lib';

export type ResponseRow = ResponsesPageQuery['responses']['edges'][number]['node'];
export interface QuestionRef {
  id: string;
  key: string;
  prompt: string;
  type: string;
}

const SENT_LABEL = { POSITIVE: 'Positive', NEUTRAL: 'Neutral', NEGATIVE: 'Negative' } as const;

function Detail({ r, questions, siteId }: { r: ResponseRow; questions: Map<string, QuestionRef>; siteId: string }) {
  const site = encodeURIComponent(siteId);
  const attrs = attributesText(r.userAttributes, 20);
  return (
    <div class="resp-body">
      <dl class="answers">
        {r.answers.map((a) => {
          const q = questions.get(a.questionId);
          return (
            <Fragment key={a.questionId}>
              <dt>{q ? q.prompt : `Removed question ${a.questionId}`}</dt>
              <dd>
                {answerText(a.value, a.other)}
                {a.comment ? <div class="muted">Comment: {a.comment}</div> : null}
                {a.sentiment ? (
                  <>
                    {' '}
                    <span class={`badge sent-${a.sentiment.label}`}>
                      {SENT_LABEL[a.sentiment.label]} {Math.round(a.sentiment.score * 100)}%
                    </span>
                  </>
                ) : null}
              </dd>
            </Fragment>
          );
        })}
        {r.answers.length === 0 ? <dd class="muted">No answers (the visitor saw the survey but did not answer).</dd> : null}
      </dl>
      <dl class="facts">
        <dt>User</dt>
        <dd>
          {r.userId ? (
            <>
              <a href={`/sites/${site}/users/${encodeURIComponent(r.userId)}`}>{r.userId}</a>
              {attrs ? <div class="muted">{attrs}</div> : null}
            </>
          ) : (
            <span class="muted">Not identified{r.visitorId ? ` (visitor ${r.visitorId})` : ''}</span>
          )}
        </dd>
        <dt>Recording</dt>
        <dd>
          {r.recording ? (
            <a href={`/sites/${site}/recordings/${encodeURIComponent(r.recording.id)}`}>Watch the visit’s recording</a>
          ) : (
            <span class="muted">None (not recorded, opted out or deleted)</span>
          )}
        </dd>
        <dt>Page</dt>
        <dd class="clip">{r.pageUrl ?? '—'}</dd>
        <dt>Browser</dt>
        <dd>{[r.browser, r.os, r.device].filter(Boolean).join(' · ') || '—'}</dd>
        {r.hiddenFields ? (
          <>
            <dt>Hidden fields</dt>
            <dd>{attributesText(r.hiddenFields, 20)}</dd>
          </>
        ) : null}
        {r.tags.length ? (
          <>
            <dt>Tags</dt>
            <dd>{r.tags.join(', ')}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

function worstSentiment(r: ResponseRow): 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE' | null {
  let out: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE' | null = null;
  for (const a of r.answers) {
    const l = a.sentiment?.label;
    if (l === 'NEGATIVE') return l;
    if (l === 'NEUTRAL' || (l === 'POSITIVE' && out === null)) out = l;
  }
  return out;
}

export function ResponsesTable({ rows, questions, siteId }: { rows: ResponseRow[]; questions: Map<string, QuestionRef>; siteId: string }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const first = [...questions.values()].find((q) => q.type !== 'STATEMENT');
  return (
    <div class="table-wrap">
      <table class="table resp-table">
        <caption class="visually-hidden">Responses, newest first</caption>
        <thead>
          <tr>
            <th scope="col" class="expand">
              <span class="visually-hidden">Details</span>
            </th>
            <th scope="col">Submitted</th>
            <th scope="col">{first ? `First answer` : 'Answers'}</th>
            <th scope="col">Sentiment</th>
            <th scope="col">User</th>
            <th scope="col">Device</th>
            <th scope="col">Country</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const isOpen = open.has(r.id);
            const a = r.answers[0];
            const s = worstSentiment(r);
            return (
              <Fragment key={r.id}>
                <tr>
                  <td class="expand">
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      aria-expanded={isOpen ? 'true' : 'false'}
                      aria-controls={isOpen ? `resp-${r.id}` : undefined}
                      aria-label={`${isOpen ? 'Hide' : 'Show'} response ${r.id}`}
                      onClick={() => toggle(r.id)}
                    >
                      {isOpen ? '−' : '+'}
                    </button>
                  </td>
                  <td class="nowrap">
                    <Time value={r.createdAt} />
                  </td>
                  <td class="clip">{a ? answerText(a.value, a.other) : <span class="muted">No answer</span>}</td>
                  <td>{s ? <span class={`badge sent-${s}`}>{SENT_LABEL[s]}</span> : <span class="muted">—</span>}</td>
                  <td class="clip">{r.userId ?? <span class="muted">Anonymous</span>}</td>
                  <td>{r.device ?? '—'}</td>
                  <td>{r.country ?? '—'}</td>
                  <td>{r.isComplete ? <Badge tone="good">Complete</Badge> : <Badge>Partial</Badge>}</td>
                </tr>
                {isOpen ? (
                  <tr class="resp-detail" id={`resp-${r.id}`}>
                    <td colSpan={8}>
                      <Detail r={r} questions={questions} siteId={siteId} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
