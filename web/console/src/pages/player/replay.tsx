// The replay itself: rrweb's Replayer in a sandboxed iframe (no scripts run: `allow-same-origin`
// only, so it works under the console's CSP) with the console's own controls: play/pause,
// speed, skip inactivity, a seekable timeline marking clicks, rage clicks and page views.
import { Replayer } from '@rrweb/replay';
import '@rrweb/replay/dist/style.css';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../../format';
import { Button } from '../../ui';
import { percent, shortUrl, SPEEDS, type Marker, type RawEvent, type Timeline } from './timeline';

const STEP_MS = 5000;
const LABEL: Record<Marker['kind'], string> = { click: 'Click', rage: 'Rage click', page: 'Page view' };

function markerLabel(m: Marker): string {
  if (m.kind === 'page') return `Page view ${shortUrl(m.detail)}`;
  if (m.kind === 'rage') return `Rage click (${m.detail} clicks)`;
  return 'Click';
}

export function Replay({ events, timeline }: { events: readonly RawEvent[]; timeline: Timeline }) {
  const stage = useRef<HTMLDivElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const player = useRef<Replayer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [now, setNow] = useState(0);
  const [speed, setSpeed] = useState<number>(1);
  const [skip, setSkip] = useState(true);
  const [skipping, setSkipping] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const duration = timeline.duration;

  // Fits the recorded viewport into the stage (scaled down, centred).
  const fit = useCallback(() => {
    const r = player.current;
    const box = screen.current;
    if (!r || !box) return;
    const w = Number(r.iframe.width) || 1024;
    const h = Number(r.iframe.height) || 640;
    const scale = Math.min(box.clientWidth / w, box.clientHeight / h, 1);
    const wrapper = r.wrapper;
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.transformOrigin = 'top left';
    wrapper.style.position = 'absolute';
    wrapper.style.left = `${Math.max(0, (box.clientWidth - w * scale) / 2)}px`;
    wrapper.style.top = `${Math.max(0, (box.clientHeight - h * scale) / 2)}px`;
  }, []);

  useEffect(() => {
    const box = screen.current;
    if (!box) return;
    let r: Replayer;
    try {
      r = new Replayer(events as never, {
        root: box,
        skipInactive: skip,
        speed,
        mouseTail: false,
        showWarning: false,
        triggerFocus: false,
        inactivePeriodThreshold: 10_000,
      });
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
      return;
    }
    player.current = r;
    r.iframe.title = 'Replay of the recorded page';
    r.iframe.setAttribute('tabindex', '-1');
    r.on('resize', () => fit());
    r.on('finish', () => {
      setPlaying(false);
      setNow(duration);
    });
    r.on('skip-start', () => setSkipping(true));
    r.on('skip-end', () => setSkipping(false));
    const ro = new ResizeObserver(() => fit());
    ro.observe(box);
    fit();
    return () => {
      ro.disconnect();
      r.destroy();
      player.current = null;
      box.textContent = '';
    };
  }, [events]);

  // While playing, the position follows the replayer's clock.
  useEffect(() => {
    if (!playing) return;
    const t = window.setInterval(() => {
      const r = player.current;
      if (r) setNow(Math.min(duration, Math.max(0, r.getCurrentTime())));
    }, 100);
    return () => clearInterval(t);
  }, [playing, duration]);

  const seek = useCallback(
    (at: number) => {
      const r = player.current;
      const t = Math.min(duration, Math.max(0, at));
      setNow(t);
      if (!r) return;
      if (playing) r.play(t);
      else r.pause(t);
    },
    [playing, duration],
  );

  const toggle = useCallback(() => {
    const r = player.current;
    if (!r) return;
    if (playing) {
      r.pause();
      setNow(Math.min(duration, r.getCurrentTime()));
      setPlaying(false);
    } else {
      const from = now >= duration - 50 ? 0 : now;
      r.play(from);
      setNow(from);
      setPlaying(true);
    }
  }, [playing, now, duration]);

  const changeSpeed = (s: number) => {
    setSpeed(s);
    player.current?.setConfig({ speed: s });
  };
  const changeSkip = (on: boolean) => {
    setSkip(on);
    player.current?.setConfig({ skipInactive: on });
  };

  // Keys on the screen: Space or K plays/pauses, arrows move 5 s, Home/End jump.
  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === ' ' || e.key === 'k') toggle();
    else if (e.key === 'ArrowLeft') seek(now - STEP_MS);
    else if (e.key === 'ArrowRight') seek(now + STEP_MS);
    else if (e.key === 'Home') seek(0);
    else if (e.key === 'End') seek(duration);
    else return;
    e.preventDefault();
  };

  const pageCount = timeline.markers.filter((m) => m.kind === 'page').length;
  const clickCount = timeline.markers.filter((m) => m.kind === 'click').length;
  const rageCount = timeline.markers.filter((m) => m.kind === 'rage').length;

  return (
    <div class="replay" ref={stage}>
      <div
        class="replay-screen"
        ref={screen}
        tabIndex={0}
        role="region"
        aria-label="Replay. Space plays or pauses, the arrow keys move 5 seconds."
        aria-keyshortcuts="Space K ArrowLeft ArrowRight Home End"
        onKeyDown={onKey}
        onClick={toggle}
      />
      {failed ? (
        <p class="form-error" role="alert">
          The replay could not start: {failed}
        </p>
      ) : null}
      <div class="replay-controls">
        <Button variant="primary" class="replay-play" onClick={toggle} aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? 'Pause' : 'Play'}
        </Button>
        <span class="replay-time" aria-live="off">
          {formatDuration(now)} / {formatDuration(duration)}
        </span>
        <div class="replay-speeds" role="group" aria-label="Speed">
          {SPEEDS.map((s) => (
            <button key={s} type="button" class="btn btn-secondary replay-speed" aria-pressed={speed === s ? 'true' : 'false'} onClick={() => changeSpeed(s)}>
              {s}×
            </button>
          ))}
        </div>
        <label class="replay-skip">
          <input type="checkbox" checked={skip} onChange={(e) => changeSkip(e.currentTarget.checked)} /> Skip inactivity
        </label>
        <span class="replay-status muted" role="status">
          {skipping ? 'Skipping inactivity…' : ''}
        </span>
      </div>
      <div class="replay-timeline">
        <div class="replay-track" aria-hidden="true">
          {timeline.inactive.map(([a, b], i) => (
            <span key={`i${i}`} class="tl-inactive" style={{ left: `${percent(a, duration)}%`, width: `${percent(b - a, duration)}%` }} />
          ))}
          {timeline.markers.map((m, i) => (
            <span key={i} class={`tl-mark tl-${m.kind}`} style={{ left: `${percent(m.at, duration)}%` }} title={`${formatDuration(m.at)} ${markerLabel(m)}`} />
          ))}
          <span class="tl-head" style={{ left: `${percent(now, duration)}%` }} />
        </div>
        <input
          type="range"
          class="replay-range"
          min={0}
          max={Math.max(1, duration)}
          step={100}
          value={now}
          aria-label="Position in the recording"
          aria-valuetext={`${formatDuration(now)} of ${formatDuration(duration)}`}
          onInput={(e) => seek(Number(e.currentTarget.value))}
        />
        <p class="replay-legend muted">
          <span class="legend-key tl-page" aria-hidden="true" /> {pageCount} page {pageCount === 1 ? 'view' : 'views'}
          <span class="legend-key tl-click" aria-hidden="true" /> {clickCount} {clickCount === 1 ? 'click' : 'clicks'}
          <span class="legend-key tl-rage" aria-hidden="true" /> {rageCount} rage {rageCount === 1 ? 'click' : 'clicks'}
          <span class="legend-key tl-inactive-key" aria-hidden="true" /> inactivity
        </p>
      </div>
      <MarkerList markers={timeline.markers} now={now} onSeek={seek} />
    </div>
  );
}

/**
 * The timeline's moments as a list of buttons (the keyboard way to jump to one). rrweb applies
 * the events before a position, not at it: a page view is sought 1 ms after its snapshot.
 */
function MarkerList({ markers, now, onSeek }: { markers: readonly Marker[]; now: number; onSeek: (at: number) => void }) {
  const shown = markers.filter((m) => m.kind !== 'click' || markers.length <= 200);
  if (shown.length === 0) return null;
  // The moment being played: the last one at or before the position.
  let current = -1;
  shown.forEach((m, i) => {
    if (m.at <= now) current = i;
  });
  return (
    <details class="replay-moments" open>
      <summary>Moments ({shown.length})</summary>
      <ol>
        {shown.map((m, i) => (
          <li key={i} class={i === current ? 'is-current' : ''}>
            <button type="button" class="btn-link moment" onClick={() => onSeek(m.kind === 'page' ? m.at + 1 : m.at)} aria-current={i === current ? 'true' : undefined}>
              <span class="moment-time">{formatDuration(m.at)}</span>
              <span class={`legend-key tl-${m.kind}`} aria-hidden="true" />
              <span class="moment-label">{LABEL[m.kind]}</span>
              {m.kind === 'page' ? <span class="moment-detail">{shortUrl(m.detail)}</span> : null}
              {m.kind === 'rage' ? <span class="moment-detail">{m.detail} clicks</span> : null}
            </button>
          </li>
        ))}
      </ol>
    </details>
  );
}
