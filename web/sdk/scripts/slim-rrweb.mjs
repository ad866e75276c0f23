// esbuild plugin: @rrweb/record 2.0.0-alpha.18 ships two copies of postcss (pulled in by
// rrweb-snapshot for replay-side CSS rewriting) that recording never calls, but the bundled
// file keeps them alive through top-level property reads that esbuild cannot drop. Cutting
// them takes the recorder from ~56 KB to ~24 KB gzip. The markers are checked, and so is
// every top-level name the cut removes, so a changed upstream file fails the build instead
// of failing in a visitor's browser.
import { readFileSync } from 'node:fs';

const CUTS = [
  ['var picocolors_browser$1 = { exports: {} };\n', 'postcss$1$1.Node;\n'],
  ['var picocolors_browser = { exports: {} };\n', 'postcss$1.Node;\n'],
];
// Names declared at the top level of the cut code that the rest of the file reuses only as
// locals (checked once with the TypeScript checker: no free identifier is left).
const LOCAL_ONLY = new Set(['x', 'node', 'input', 'comment', 'rule', 'list']);

export function slimRecord(text) {
  const removed = [];
  for (const [start, end] of CUTS) {
    const a = text.indexOf(start);
    const z = a < 0 ? -1 : text.indexOf(end, a);
    if (z < 0) throw new Error(`slim-rrweb: marker not found: ${start.trim()}`);
    removed.push(text.slice(a, z + end.length));
    text = text.slice(0, a) + text.slice(z + end.length);
  }
  for (const part of removed) {
    for (const m of part.matchAll(/^(?:var|let|const|function|class) ([\w$]+)/gm)) {
      const name = m[1];
      if (LOCAL_ONLY.has(name)) continue;
      const used = new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
      if (used.test(text)) throw new Error(`slim-rrweb: ${name} is still used after the cut`);
    }
  }
  return text;
}

export const slimRrweb = {
  name: 'slim-rrweb',
  setup(b) {
    b.onLoad({ filter: /@rrweb[\\/]record[\\/]dist[\\/]record\.js$/ }, (args) => ({
      contents: slimRecord(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
