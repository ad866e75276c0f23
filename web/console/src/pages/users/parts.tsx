// Pieces the user page and the player share: a person's attributes and their survey responses.
import { graphql } from '../../gql';
import type { AttributeType, SentimentLabel } from '../../gql/graphql';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { useQuery } from '../../hooks';
import { Badge, Time } from '../../ui';

export interface AttributeRow {
  name: string;
  type: AttributeType;
  value: unknown;
  stringValue?: string | null;
  numberValue?: number | null;
  booleanValue?: boolean | null;
  dateValue?: string | null;
}

/** An attribute's value as text: numbers and dates in the viewer's locale (a bare date stays that day). */
export function attributeText(a: AttributeRow): string {
  switch (a.type) {
    case 'NUMBER':
      return formatNumber(a.numberValue ?? (typeof a.value === 'number' ? a.value : null));
    case 'BOOLEAN':
      return (a.booleanValue ?? a.value) ? 'Yes' : 'No';
    case 'DATE': {
      const v = a.dateValue ?? (typeof a.value === 'string' ? a.value : null);
      if (!v) return '—';
      // A date sent without a time is midnight UTC: show that day, not the evening before.
      return /T00:00:00(\.0+)?Z$/.test(v) ? formatDate(v, { timeZone: 'UTC' }) : formatDateTime(v);
    }
    default:
      return a.stringValue ?? (typeof a.value === 'string' ? a.value : JSON.stringify(a.value));
  }
}

/** Attributes from a recording's `user` JSON (`{attributes: {name: value}}`), typed by their JSON value. */
export function attributesFromJson(attrs: unknown): AttributeRow[] {
  if (!attrs || typeof attrs !== 'object') return [];
  return Object.entries(attrs as Record<string, unknown>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => {
      const type: AttributeType =
        typeof value === 'number'
          ? 'NUMBER'
          : typeof value === 'boolean'
            ? 'BOOLEAN'
            : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)
              ? 'DATE'
              : 'STRING';
      return { name, type, value, dateValue: type === 'DATE' ? (value as string) : null };
    });
}

export function AttributeList({ attributes, label }: { attributes: readonly AttributeRow[]; label: string }) {
  if (attributes.length === 0) return <p class="muted">No attributes: the site's identify calls sent none for this user.</p>;
  return (
    <dl class="facts user-attrs" aria-label={label}>
      {attributes.map((a) => (
        <div key={a.name} class="user-attr">
          <dt>{a.name}</dt>
          <dd>{attributeText(a)}</dd>
        </div>
      ))}
    </dl>
  );
}

const SurveyNames = graphql(`
  query SurveyNames($siteId: ID!) {
    surveys(siteId: $siteId, first: 100) { edges { node { id name } } }
    polls(siteId: $siteId, first: 100) { edges { node { id name } } }
  }
`);

/** Survey and poll names of a site by id (the first 100 of each); `skip` while none is needed. */
export function useSurveyNames(siteId: string, skip = false): Map<string, string> {
  const q = useQuery(SurveyNames, { siteId }, skip);
  const m = new Map<string, string>();
  for (const e of q.data?.surveys.edges ?? []) m.set(e.node.id, e.node.name);
  for (const e of q.data?.polls.edges ?? []) m.set(e.node.id, e.node.name);
  return m;
}

export interface ResponseRow {
  id: string;
  surveyId: string;
  createdAt: string;
  isComplete: boolean;
  recording?: { id: string } | null;
  answers: { questionId: string; value: unknown; sentiment?: { label: SentimentLabel } | null }[];
}

/** An answer's value as text (lists joined). */
export function answerText(v: unknown): string {
  if (v == null) return '—';
  if (Array.isArray(v)) return v.map(answerText).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const TONE: Record<SentimentLabel, 'good' | 'neutral' | 'bad'> = { POSITIVE: 'good', NEUTRAL: 'neutral', NEGATIVE: 'bad' };
const SENTIMENT: Record<SentimentLabel, string> = { POSITIVE: 'Positive', NEUTRAL: 'Neutral', NEGATIVE: 'Negative' };

/** Responses as cards: survey, date, answers (text only), sentiment, link to the recording. */
export function ResponseList({
  siteId,
  responses,
  names,
  currentRecording,
  noSessionBadge,
}: {
  siteId: string;
  responses: readonly ResponseRow[];
  names: Map<string, string>;
  /** On the player: the recording shown (its responses are marked, no link to itself). */
  currentRecording?: string;
  /** Leave out the "In this session" badge (a list of that session's responses only). */
  noSessionBadge?: boolean;
}) {
  const site = encodeURIComponent(siteId);
  return (
    <ul class="response-list">
      {responses.map((r) => (
        <li key={r.id} class="response-card">
          <div class="response-head">
            <a href={`/sites/${site}/surveys/${encodeURIComponent(r.surveyId)}/results`}>{names.get(r.surveyId) ?? `Survey ${r.surveyId}`}</a>
            <span class="muted">
              <Time value={r.createdAt} />
            </span>
            {!r.isComplete ? <Badge tone="warn">Partial</Badge> : null}
            {!noSessionBadge && currentRecording && r.recording?.id === currentRecording ? <Badge tone="good">In this session</Badge> : null}
          </div>
          <ul class="response-answers">
            {r.answers.map((a) => (
              <li key={a.questionId}>
                <span>{answerText(a.value)}</span>
                {a.sentiment ? <Badge tone={TONE[a.sentiment.label]}>{SENTIMENT[a.sentiment.label]}</Badge> : null}
              </li>
            ))}
          </ul>
          {r.recording && r.recording.id !== currentRecording ? (
            <a href={`/sites/${site}/recordings/${encodeURIComponent(r.recording.id)}`}>Watch the recording of this visit</a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
