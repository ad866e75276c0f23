// The live preview: the browser tag's own renderer (web/sdk/src/surveys/render.ts, the module
// loupe-surveys.js mounts) draws the draft in its Shadow DOM, floating in a stage that stands
// for the visitor's page. Answers go nowhere; the logic walks the path as on the site.
import { useEffect, useRef, useState } from 'preact/hooks';
import { mount } from '../../../../sdk/src/surveys/render';
import type { Theme, Widget } from '../../../../sdk/src/common/types';
import { Button } from '../../ui';

export interface PreviewTheme {
  primary: string | null;
  background: string | null;
  text: string | null;
  position: string | null;
  font: string | null;
}

function themeOf(t: PreviewTheme | null | undefined): Partial<Theme> {
  if (!t) return {};
  const out: Partial<Theme> = {};
  if (t.primary) out.primary = t.primary;
  if (t.background) out.background = t.background;
  if (t.text) out.text = t.text;
  if (t.font) out.font = t.font;
  if (t.position === 'bottom-left' || t.position === 'center' || t.position === 'bottom-right') out.position = t.position;
  return out;
}

export function SurveyPreview({ widget, theme }: { widget: unknown; theme?: PreviewTheme | null }) {
  const stage = useRef<HTMLDivElement>(null);
  const [run, setRun] = useState(0);
  const [ended, setEnded] = useState(false);
  const [empty, setEmpty] = useState(false);
  const key = JSON.stringify(widget);
  const themeKey = JSON.stringify(theme ?? null);

  useEffect(() => {
    const el = stage.current;
    if (!el) return;
    // Typing in the builder re-renders the preview: wait for a pause, and keep the focus
    // where the author is typing (the renderer focuses its first control).
    const t = window.setTimeout(() => {
      const w = JSON.parse(key) as Widget;
      el.textContent = '';
      setEnded(false);
      if (!w.questions.length) {
        setEmpty(true);
        return;
      }
      setEmpty(false);
      const active = document.activeElement as HTMLElement | null;
      const host = mount(w, {
        visitorId: 'preview',
        pageUrl: () => location.href,
        theme: themeOf(JSON.parse(themeKey) as PreviewTheme | null),
        send: () => Promise.resolve({ response_id: 1 }),
        onDone: () => setEnded(true),
      });
      if (host) el.appendChild(host); // out of <body>, into the stage (its containing block)
      if (active && active !== document.body && active.isConnected) active.focus({ preventScroll: true });
      else if (document.activeElement !== document.body) (document.activeElement as HTMLElement | null)?.blur();
    }, 200);
    return () => window.clearTimeout(t);
  }, [key, themeKey, run]);

  useEffect(() => {
    const el = stage.current;
    return () => {
      if (el) el.textContent = '';
    };
  }, []);

  return (
    <div class="preview">
      <div class="preview-bar">
        <span class="muted small">As visitors see it (answers are not saved)</span>
        <Button class="btn-small" onClick={() => setRun((n) => n + 1)}>
          Restart preview
        </Button>
      </div>
      <div class="preview-stage" ref={stage} aria-label="Survey preview" role="region" />
      {empty ? <p class="preview-note muted">Add a question to see the preview.</p> : null}
      {ended ? <p class="preview-note muted">The survey closed. Restart the preview to answer it again.</p> : null}
    </div>
  );
}
