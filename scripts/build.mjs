// Builds dist/: the runner and the codemods bundled into a few ES modules. Node resolves, reads and
// links every module file on its own, which cost ~70 ms of each run for ~50 files. Type checking is
// `npm run typecheck`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

// The code cache hook: one file of its own, the CLI's first import, in place before anything loads.
await build({ ...common, entryPoints: ['runner/code-cache.ts'], outfile: 'dist/runner/code-cache.js' });

await build({
  ...common,
  entryPoints: ['runner/cli.ts'],
  outdir: 'dist/runner',
  chunkNames: '[name]-[hash]', // beside cli.js: paths relative to import.meta.url stay as in the sources
  splitting: true, // each dynamic import() stays lazy: a chunk of its own
  // The runtime dependencies stay outside (CommonJS, covered by the code cache). The ES-module-only
  // parsers (mdast-util-from-markdown with micromark, smol-toml) are devDependencies bundled into the lazy
  // chunks that import them: each of their ~60 files would otherwise be loaded on its own.
  external: ['./code-cache.js', ...Object.keys(pkg.dependencies)],
});
