// Builds dist/*.js (the files Loupe serves under /v1/) and, with --tests, dist-test/*.mjs
// (node:test files from test/*.test.ts). Deterministic: same sources, same bytes.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slimRrweb } from './scripts/slim-rrweb.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const entries = ['loupe', 'loupe-recorder', 'loupe-surveys', 'loupe-link'];
const sources = { loupe: 'loupe', 'loupe-recorder': 'recorder', 'loupe-surveys': 'surveys', 'loupe-link': 'link' };

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: ['es2019', 'chrome80', 'firefox78', 'safari14.1'],
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [slimRrweb],
};

if (process.argv.includes('--tests')) {
  const dir = join(here, 'test');
  rmSync(join(here, 'dist-test'), { recursive: true, force: true });
  const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f));
  await build({
    ...common,
    minify: false,
    entryPoints: tests,
    outdir: join(here, 'dist-test'),
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['node:*'],
  });
} else {
  for (const name of entries) {
    await build({
      ...common,
      entryPoints: [join(here, 'src', `${sources[name]}.ts`)],
      outfile: join(here, 'dist', `${name}.js`),
      format: 'iife',
      platform: 'browser',
    });
  }
}
