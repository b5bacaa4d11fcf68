// Builds dist/: the runner, the codemods and the parsers bundled into a few ES modules. Node resolves,
// reads and links every module file on its own, which cost more than compiling them (~50 files of ours,
// ~70 of yaml alone). Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const root = fileURLToPath(new URL('..', import.meta.url));

// The sources load CommonJS parsers on first use with `createRequire(import.meta.url)('pkg')`; in the
// bundle that becomes `require('pkg')`, which esbuild turns into a lazy call of the bundled package, so
// it still loads on first use, from one file instead of dozens.
const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    const ours = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:runner|codemods)/.*\\.ts$`);
    build.onLoad({ filter: ours }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replaceAll('createRequire(import.meta.url)(', 'require('),
      loader: 'ts',
    }));
  },
};

const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

// The code cache hook: one file of its own, the CLI's first import, in place before anything loads.
await build({ ...common, entryPoints: ['runner/code-cache.ts'], outfile: 'dist/runner/code-cache.js' });

await build({
  ...common,
  entryPoints: ['runner/cli.ts'],
  outdir: 'dist/runner',
  chunkNames: '[name]-[hash]', // beside cli.js: paths relative to import.meta.url stay as in the sources
  splitting: true, // each dynamic import() stays lazy: a chunk of its own
  // Node loads every module file on its own (yaml alone is ~70 files), so the parsers are
  // devDependencies bundled into the chunks that load them. The runtime dependencies stay outside:
  // mvdan-sh (one 1.5 MB file, whose compiling the code cache spares), and what is rarely loaded.
  external: ['./code-cache.js', ...Object.keys(pkg.dependencies)],
  plugins: [lazyRequires],
  // A bundled CommonJS package may require a Node built-in (yaml: 'process'): give ES modules a require.
  banner: { js: "import { createRequire as __geistRequire } from 'node:module'; const require = __geistRequire(import.meta.url);" },
});
