// Build step for typed operations: every `graphql(`…`)` call in src/ is replaced by the text of
// its generated document (src/gql/graphql.ts, whitespace squeezed), and the `graphql` import
// is dropped. So each page chunk carries its own operations only: the generated module holds
// every document, and importing it (or its lookup map) would put them all in the first load.
// At runtime a document is then a plain string; `request` only calls `toString()` on it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** Collapses whitespace runs outside string literals (GraphQL ignores them). */
export function squeeze(doc: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += doc[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (/\s|,/.test(c)) {
      if (!/[\s{}():!=$[\]]$/.test(out) && out !== '') out += ' ';
    } else {
      if (/[{}():!=[\]]/.test(c) && out.endsWith(' ')) out = out.slice(0, -1);
      out += c;
    }
  }
  return out.trim();
}

function loadDocuments(generated: string): Map<string, string> {
  const src = readFileSync(generated, 'utf8');
  const docs = new Map<string, string>();
  for (const m of src.matchAll(/export const (\w+?)(Document|FragmentDoc) = new TypedDocumentString\(`([^`]*)`/g)) {
    docs.set(m[2] === 'FragmentDoc' ? `fragment:${m[1]}` : m[1]!, squeeze(m[3]!));
  }
  return docs;
}

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
const IMPORT = /import\s*\{\s*graphql\s*\}\s*from\s*['"][^'"]*\/gql(?:\/index(?:\.ts)?)?['"];?/;

export function inlineOperations(code: string, docs: Map<string, string>, id: string): string | null {
  if (!code.includes('graphql(')) return null;
  let replaced = 0;
  let out = code.replace(CALL, (_all, body: string) => {
    const m = /^\s*(query|mutation|subscription|fragment)\s+(\w+)/.exec(body);
    if (!m) throw new Error(`${id}: graphql() needs a named operation or fragment`);
    const key = m[1] === 'fragment' ? `fragment:${m[2]}` : m[2]!;
    const doc = docs.get(key);
    if (doc == null) throw new Error(`${id}: no generated document for ${m[1]} ${m[2]}; run npm run codegen`);
    replaced++;
    return JSON.stringify(doc);
  });
  if (!replaced) return null;
  if (!/\bgraphql\(/.test(out)) out = out.replace(IMPORT, '');
  return out;
}

export function gqlInline(): Plugin {
  let docs: Map<string, string> | null = null;
  let generated = '';
  return {
    name: 'loupe-gql-inline',
    enforce: 'pre',
    configResolved(config) {
      generated = join(config.root, 'src/gql/graphql.ts');
    },
    buildStart() {
      docs = null;
    },
    handleHotUpdate(ctx) {
      if (ctx.file === generated) docs = null;
    },
    transform(code, id) {
      if (!/\/src\/.*\.tsx?$/.test(id) || id.includes('/src/gql/')) return null;
      docs ??= loadDocuments(generated);
      const out = inlineOperations(code, docs, id);
      return out == null ? null : { code: out, map: null };
    },
  };
}
