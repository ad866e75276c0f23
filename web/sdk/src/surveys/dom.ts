// A tiny element builder: attributes and text only (never markup, never `style`), so
// survey text from the server cannot inject anything and the CSP needs no exception.

type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...kids: Array<Node | string | null | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const name of Object.keys(attrs)) {
      const v = attrs[name];
      if (v === true) el.setAttribute(name, '');
      else if (v !== false && v != null) el.setAttribute(name, String(v));
    }
  }
  for (const k of kids) if (k !== null && k !== false) el.append(k);
  return el;
}

/** Sets or clears an attribute. */
export function attr(el: Element, name: string, value: string | null): void {
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}
