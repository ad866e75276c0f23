import { useEffect, useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError, request } from '../../api';
import { graphql } from '../../gql';
import type { PlayerEventsQuery, PlayerRecordingQuery } from '../../gql/graphql';
import { formatDuration, formatNumber } from '../../format';
import { useQuery } from '../../hooks';
import { Badge, ErrorState, PageHeader, Skeleton, Time } from '../../ui';
import { countryName, deviceLine, recordingUserId } from '../recordings/lib';
import { AttributeList, ResponseList, useSurveyNames } from '../users/parts';
import '../users/users.css';
import { Replay } from './replay';
import { buildTimeline, shortUrl, type RawEvent } from './timeline';
import './player.css';

const PlayerRecording = graphql(`
  query PlayerRecording($id: ID!) {
    recording(id: $id) {
      id siteId sessionId visitorId startedAt endedAt durationMs pageViews entryUrl exitUrl
      clicks rageClicks uTurns device browser os country viewportWidth viewportHeight eventCount user
      responses {
        id surveyId createdAt isComplete
        recording { id }
        answers { questionId value sentiment { label } }
      }
    }
  }
`);

const PlayerEvents = graphql(`
  query PlayerEvents($id: ID!, $after: String) {
    recording(id: $id) {
      id
      events(first: 1000, after: $after) { events endCursor hasNextPage }
    }
  }
`);

const PlayerUser = graphql(`
  query PlayerUser($siteId: ID!, $userId: String!) {
    user(siteId: $siteId, userId: $userId) {
      userId firstSeen lastSeen sessions
      attributes { name type value stringValue numberValue booleanValue dateValue }
      responses(first: 10) {
        totalCount
        edges {
          node {
            id surveyId createdAt isComplete
            recording { id }
            answers { questionId value sentiment { label } }
          }
        }
      }
    }
  }
`);

type RecordingData = NonNullable<PlayerRecordingQuery['recording']>;

/** At most this many events are loaded (200 pages); longer sessions replay their start. */
const MAX_EVENTS = 200_000;

interface EventsState {
  events: RawEvent[];
  done: boolean;
  truncated: boolean;
  error: unknown;
  /** Events received so far, while loading. */
  loaded: number;
}

/** Every event of the recording, page after page; `loaded` grows while it comes in. */
function useEvents(id: string, tick: number): EventsState {
  const [s, setS] = useState<EventsState>({ events: [], done: false, truncated: false, error: undefined, loaded: 0 });
  useEffect(() => {
    let stop = false;
    setS({ events: [], done: false, truncated: false, error: undefined, loaded: 0 });
    (async () => {
      const all: RawEvent[] = [];
      let after: string | null = null;
      for (;;) {
        const r: PlayerEventsQuery = await request(PlayerEvents, { id, after });
        if (stop) return;
        const page = r.recording?.events;
        if (!page) throw new ApiError('NOT_FOUND', 'This recording no longer exists.');
        for (const e of page.events as RawEvent[]) all.push(e);
        if (!page.hasNextPage || !page.endCursor) break;
        if (all.length >= MAX_EVENTS) {
          setS({ events: all, done: true, truncated: true, error: undefined, loaded: all.length });
          return;
        }
        after = page.endCursor;
        setS({ events: [], done: false, truncated: false, error: undefined, loaded: all.length });
      }
      setS({ events: all, done: true, truncated: false, error: undefined, loaded: all.length });
    })().catch((error: unknown) => {
      if (!stop) setS({ events: [], done: true, truncated: false, error, loaded: 0 });
    });
    return () => {
      stop = true;
    };
  }, [id, tick]);
  return s;
}

function Facts({ r }: { r: RecordingData }) {
  const rows: [string, preact.ComponentChildren][] = [
    ['Started', <Time value={r.startedAt} />],
    ['Duration', formatDuration(r.durationMs)],
    ['Pages', formatNumber(r.pageViews)],
    ['Clicks', formatNumber(r.clicks)],
    ['Rage clicks', r.rageClicks > 0 ? <Badge tone="warn">{formatNumber(r.rageClicks)}</Badge> : '0'],
    ['U-turns', formatNumber(r.uTurns)],
    ['Device', deviceLine(r.device, r.browser, r.os) || '—'],
    ['Country', r.country ? countryName(r.country) : '—'],
    ['Viewport', r.viewportWidth && r.viewportHeight ? `${r.viewportWidth} × ${r.viewportHeight}` : '—'],
    ['Entry page', r.entryUrl ? <span class="break">{r.entryUrl}</span> : '—'],
    ['Exit page', r.exitUrl ? <span class="break">{r.exitUrl}</span> : '—'],
    ['Events', formatNumber(r.eventCount)],
    ['Session id', <code class="break">{r.sessionId}</code>],
  ];
  return (
    <dl class="facts player-facts">
      {rows.map(([k, v]) => (
        <div key={k} class="player-fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The survey responses given during this session (identified or not). */
function SessionResponses({ siteId, r, names }: { siteId: string; r: RecordingData; names: Map<string, string> }) {
  return (
    <section class="player-side-section" aria-labelledby="player-responses">
      <h2 id="player-responses">Responses in this session</h2>
      {r.responses.length === 0 ? (
        <p class="muted">No survey or poll was answered during this session.</p>
      ) : (
        <ResponseList siteId={siteId} responses={r.responses} names={names} currentRecording={r.id} noSessionBadge />
      )}
    </section>
  );
}

function UserPanel({ siteId, userId, recordingId, names }: { siteId: string; userId: string; recordingId: string; names: Map<string, string> }) {
  const q = useQuery(PlayerUser, { siteId, userId });
  const site = encodeURIComponent(siteId);
  const u = q.data?.user;
  // This session's responses are listed above; here, the person's other ones.
  const others = u ? u.responses.edges.map((e) => e.node).filter((x) => x.recording?.id !== recordingId) : [];
  return (
    <section class="player-side-section" aria-labelledby="player-user">
      <h2 id="player-user">Identified user</h2>
      <p>
        <a href={`/sites/${site}/users/${encodeURIComponent(userId)}`}>{userId}</a>
      </p>
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} title="The user could not be loaded" />
      ) : !q.data ? (
        <Skeleton rows={3} height={20} label="Loading the user…" />
      ) : !u ? (
        <p class="muted">This user's profile was deleted.</p>
      ) : (
        <>
          <p class="muted">
            {formatNumber(u.sessions)} {u.sessions === 1 ? 'session' : 'sessions'} · last seen <Time value={u.lastSeen} relative />
          </p>
          <AttributeList attributes={u.attributes} label={`Attributes of ${userId}`} />
          <h3>Responses in other sessions</h3>
          {others.length === 0 ? (
            <p class="muted">None: this user answered no survey in another session.</p>
          ) : (
            <ResponseList siteId={siteId} responses={others} names={names} currentRecording={recordingId} />
          )}
          {u.responses.totalCount > u.responses.edges.length ? (
            <p>
              <a href={`/sites/${site}/users/${encodeURIComponent(userId)}`}>All {formatNumber(u.responses.totalCount)} responses of this user</a>
            </p>
          ) : null}
          <p>
            <a href={`/sites/${site}/recordings?user=${encodeURIComponent(userId)}`}>All recordings of this user</a>
          </p>
        </>
      )}
    </section>
  );
}

export default function PlayerPage() {
  const { siteId, recordingId } = useRoute().params as { siteId: string; recordingId: string };
  const meta = useQuery(PlayerRecording, { id: recordingId });
  const [tick, setTick] = useState(0);
  const ev = useEvents(recordingId, tick);
  const timeline = useMemo(() => buildTimeline(ev.events), [ev.events]);
  const r = meta.data?.recording;
  const site = encodeURIComponent(siteId);
  const userId = r ? recordingUserId(r.user) : null;
  // Names are needed for the responses beside the replay: this session's, or the user's.
  const names = useSurveyNames(siteId, !r || (r.responses.length === 0 && !userId));

  const back = (
    <p class="breadcrumb">
      <a href={`/sites/${site}/recordings`}>← Recordings</a>
    </p>
  );
  if (meta.error && !meta.data) {
    return (
      <>
        {back}
        <PageHeader title="Recording" />
        <ErrorState error={meta.error} retry={meta.reload} />
      </>
    );
  }
  if (meta.data && !r) {
    return (
      <>
        {back}
        <PageHeader title="Recording" />
        <ErrorState error={new ApiError('NOT_FOUND', 'No recording with this id in your organization.')} />
      </>
    );
  }
  const title = r ? `Recording ${shortUrl(r.entryUrl) || r.sessionId}` : 'Recording';

  return (
    <>
      {back}
      <PageHeader title={title}>{r ? <Time value={r.startedAt} /> : '\u00a0' /* keeps the line: no jump */}</PageHeader>
      <div class="player-layout">
        <div class="player-main">
          {ev.error ? (
            <ErrorState error={ev.error} retry={() => setTick((t) => t + 1)} title="The events could not be loaded" />
          ) : !ev.done ? (
            <div class="replay-loading" role="status">
              <p>Loading the recording{ev.loaded ? ` (${formatNumber(ev.loaded)} events so far)` : ''}…</p>
            </div>
          ) : !timeline.replayable ? (
            <div class="replay-loading">
              <h2>This session cannot be replayed</h2>
              <p>
                Its first page snapshot was not stored (the visitor left before it was sent, or it was deleted). The metadata beside is
                still right.
              </p>
            </div>
          ) : (
            <>
              {ev.truncated ? (
                <p class="callout callout-warn">This session is very long: the first {formatNumber(ev.events.length)} events are replayed.</p>
              ) : null}
              <Replay events={ev.events} timeline={timeline} />
            </>
          )}
        </div>
        <aside class="player-side" aria-label="About this session">
          {/* Answers given in this session come first: they say why the session matters. */}
          {r && r.responses.length > 0 ? <SessionResponses siteId={siteId} r={r} names={names} /> : null}
          <section class="player-side-section" aria-labelledby="player-session">
            <h2 id="player-session">Session</h2>
            {r ? <Facts r={r} /> : <Skeleton rows={8} height={20} label="Loading the session…" />}
          </section>
          {r && r.responses.length === 0 ? <SessionResponses siteId={siteId} r={r} names={names} /> : null}
          {r ? (
            userId ? (
              <UserPanel siteId={siteId} userId={userId} recordingId={r.id} names={names} />
            ) : (
              <section class="player-side-section" aria-labelledby="player-user">
                <h2 id="player-user">Visitor</h2>
                <p class="muted">Anonymous: the site sent no identify call for this visitor.</p>
              </section>
            )
          ) : null}
        </aside>
      </div>
    </>
  );
}
