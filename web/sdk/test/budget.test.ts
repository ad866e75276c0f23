// Size budgets (gzip -9) for the files every page with the tag downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGETS: Array<[string, number]> = [
  ['loupe.js', 20 * 1024],
  ['loupe-recorder.js', 35 * 1024],
];

for (const [file, budget] of BUDGETS) {
  test(`${file} stays within ${budget} bytes gzipped`, () => {
    const raw = readFileSync(new URL(`../dist/${file}`, import.meta.url));
    const gz = gzipSync(raw, { level: 9 }).length;
    console.log(`${file}: ${raw.length} bytes, ${gz} bytes gzip -9 (budget ${budget})`);
    assert.ok(raw.length > 1000, `${file} looks like a placeholder: run npm run build`);
    assert.ok(gz <= budget, `${file} is ${gz} bytes gzipped, over its budget of ${budget}`);
  });
}
