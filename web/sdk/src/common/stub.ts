// The snippet queues calls on `loupe.q` until the tag arrives; the tag replays them in order.

export type Handler = (args: unknown[]) => void;

/** Replays queued calls in order; one failing call never stops the others. */
export function replay(queue: unknown, handle: Handler, onError: (e: unknown) => void): void {
  if (!queue || typeof (queue as ArrayLike<unknown>).length !== 'number') return;
  const q = queue as ArrayLike<ArrayLike<unknown>>;
  for (let i = 0; i < q.length; i++) {
    try {
      handle(Array.prototype.slice.call(q[i] || []));
    } catch (e) {
      onError(e);
    }
  }
}

/** The real `window.loupe`: never throws into the page. */
export function makeApi(handle: Handler, onError: (e: unknown) => void): (...args: unknown[]) => void {
  return function loupe(...args: unknown[]) {
    try {
      handle(args);
    } catch (e) {
      onError(e);
    }
  };
}
