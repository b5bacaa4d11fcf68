// Builds dist/: the runner and the codemods bundled into a few ES modules. Node resolves, reads and
// links every module file on its own, which cost ~70 ms of each run for ~50 files; the npm packages
// stay outside the bundle (loaded lazily, through the code cache). Type checking is `npm run typecheck`.
import { build } from 'esbuild';

await build({
  entryPoints: { 'runner/cli': 'runner/cli.ts', 'runner/code-cache': 'runner/code-cache.ts' },
  outdir: 'dist',
  chunkNames: 'runner/[name]-[hash]', // beside cli.js: paths relative to import.meta.url stay as in the sources
  bundle: true,
  splitting: true, // each dynamic import() stays lazy: a chunk of its own
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  external: ['./code-cache.js'], // its own module, as the CLI's first import: the hook is in place before anything loads
  logLevel: 'warning',
});
