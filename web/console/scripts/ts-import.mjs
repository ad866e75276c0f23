// Loads a TypeScript module of src/ for node:test: esbuild bundles it (with its imports) to
// one ES module in memory, imported through a data: URL. Only for pure helpers (no DOM).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export async function importTs(relative) {
  const entry = fileURLToPath(new URL('../' + relative, import.meta.url));
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const code = out.outputFiles[0].text;
  return import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
}
