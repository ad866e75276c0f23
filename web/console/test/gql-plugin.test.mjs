import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTs } from '../scripts/ts-import.mjs';

const p = await importTs('gql-plugin.ts');

test('whitespace is squeezed outside strings only', () => {
  assert.equal(p.squeeze('\n  query A($id: ID!, $n: Int) {\n  site(id: $id) { name }\n}'), 'query A($id:ID!$n:Int){site(id:$id){name}}');
  assert.equal(p.squeeze('query B { f(s: "a  b, c") { x y } }'), 'query B{f(s:"a  b, c"){x y}}');
  assert.equal(p.squeeze('query C { ...F } fragment F on T { a }'), 'query C{...F}fragment F on T{a}');
});

test('graphql() calls become their generated documents; the import goes', () => {
  const docs = new Map([['SiteList', 'query SiteList{sites{totalCount}}'], ['fragment:F', 'fragment F on Site{id}']]);
  const src = "import { graphql } from '../../gql';\nconst Q = graphql(`\n query SiteList { sites { totalCount } }\n`);\ngraphql(`fragment F on Site { id }`);";
  const out = p.inlineOperations(src, docs, 'x.tsx');
  assert.equal(out, '\nconst Q = "query SiteList{sites{totalCount}}";\n"fragment F on Site{id}";');
  assert.throws(() => p.inlineOperations('graphql(`query Missing { a }`)', docs, 'x.tsx'), /npm run codegen/);
  assert.equal(p.inlineOperations('const a = 1;', docs, 'x.tsx'), null);
});
