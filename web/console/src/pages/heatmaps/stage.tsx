// The page rebuilt from its snapshot (rrweb-snapshot's rebuild into an iframe sandboxed with
// `allow-same-origin` only: no script of the page runs, and it works under the console's CSP),
// scaled to fit, with the heat layer on a canvas over it.
import { createCache, createMirror, rebuildIntoSandboxedIframe } from 'rrweb-snapshot';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatPercent } from '../../format';
import { drawHeat, drawScroll, type HeatPoint } from './heat';
import { fitScale, scrollLabels } from './lib';

export interface StageProps {
  /** The rrweb full snapshot event (type 2), or null: a blank page of the document's size. */
  snapshot: unknown;
  width: number;
  height: number;
  bin: number;
  points: readonly HeatPoint[];
  /** For the scroll map (points are ignored then). */
  scroll: readonly { depth: number; share: number }[] | null;
  fold: number | null;
  label: string;
  /** A selector to outline on the page (the element list's hovered or focused row). */
  highlight: string | null;
}

type SnapshotNode = Parameters<typeof rebuildIntoSandboxedIframe>[0];

function snapshotNode(event: unknown): SnapshotNode | null {
  const data = (event as { data?: { node?: unknown } } | null)?.data;
  const node = data?.node as SnapshotNode | undefined;
  return node && typeof node === 'object' && 'type' in node ? node : null;
}

export function Stage({ snapshot, width, height, bin, points, scroll, fold, label, highlight }: StageProps) {
  const box = useRef<HTMLDivElement>(null);
  const page = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLIFrameElement | null>(null);
  const [boxWidth, setBoxWidth] = useState(0);
  const [failed, setFailed] = useState(false);
  const [outline, setOutline] = useState<{ x: number; y: number; w: number; h: number } | null>(null);
  const scale = fitScale(boxWidth - 2, width);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setBoxWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setBoxWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The page: rebuilt once per snapshot and size.
  useEffect(() => {
    const root = page.current;
    const node = snapshotNode(snapshot);
    setFailed(false);
    if (!root || !node) return;
    try {
      const { iframe } = rebuildIntoSandboxedIframe(node, {
        root,
        cache: createCache(),
        mirror: createMirror(),
        iframeAttributes: {
          width: String(width),
          height: String(height),
          scrolling: 'no',
          tabindex: '-1',
          title: 'Snapshot of the page',
        },
      });
      frame.current = iframe;
    } catch {
      setFailed(true);
    }
    return () => {
      frame.current = null;
      root.textContent = '';
    };
  }, [snapshot, width, height]);

  // The heat layer.
  useEffect(() => {
    const c = canvas.current;
    if (!c || w === 0) return;
    if (scroll) drawScroll(c, scroll, w, h);
    else drawHeat(c, points, bin, scale, w, h);
  }, [points, scroll, bin, scale, w, h]);

  // The outlined element, found in the rebuilt page by its selector.
  useEffect(() => {
    const doc = frame.current?.contentDocument;
    let found: Element | null = null;
    try {
      found = highlight && doc ? doc.querySelector(highlight) : null;
    } catch {
      found = null; // not a selector this browser knows
    }
    if (!found) return setOutline(null);
    const r = found.getBoundingClientRect();
    setOutline({ x: r.left * scale, y: r.top * scale, w: r.width * scale, h: r.height * scale });
  }, [highlight, scale, snapshot]);

  const labels = scroll ? scrollLabels(scroll) : [];
  return (
    <div class="hm-stage" ref={box} tabIndex={0} role="region" aria-label="Map of the page">
      <div class="hm-canvas-box" style={{ width: `${w}px`, height: `${h}px` }}>
        <div
          class={snapshotNode(snapshot) && !failed ? 'hm-page' : 'hm-page hm-blank'}
          ref={page}
          inert
          style={{ width: `${width}px`, height: `${height}px`, transform: `scale(${scale})` }}
        />
        <canvas ref={canvas} class="hm-heat" role="img" aria-label={label} style={{ width: `${w}px`, height: `${h}px` }} />
        {outline ? (
          <div class="hm-outline" aria-hidden="true" style={{ left: `${outline.x}px`, top: `${outline.y}px`, width: `${outline.w}px`, height: `${outline.h}px` }} />
        ) : null}
        {labels.map((l) => (
          <div key={l.depth} class="hm-depth" aria-hidden="true" style={{ top: `${(l.depth / 100) * h}px` }}>
            <span>
              {l.depth}% of the page · {formatPercent(l.share * 100, 0)} reach it
            </span>
          </div>
        ))}
        {scroll && fold ? (
          <div class="hm-fold" aria-hidden="true" style={{ top: `${fold * scale}px` }}>
            <span>Average fold</span>
          </div>
        ) : null}
      </div>
      {failed ? <p class="hm-stage-note">The snapshot could not be rebuilt: the heat layer is drawn over a blank page.</p> : null}
    </div>
  );
}
