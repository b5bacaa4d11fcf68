// Builds dist/: the runner, the codemods and the parsers bundled into a few ES modules. Node resolves,
// reads and links every module file on its own, which cost more than compiling them (~50 files of ours,
// ~70 of yaml alone). Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const { metafile } = await build({
  ...common,
  metafile: true,
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

// The bundle redistributes the parsers' code: ship their licenses with it.
const packages = new Set();
for (const input of Object.keys(metafile.inputs)) {
  const at = input.lastIndexOf('node_modules/') + 'node_modules/'.length; // the innermost package
  const name = /^(?:@[^/]+\/)?[^/]+\//.exec(input.slice(at))?.[0];
  if (at >= 'node_modules/'.length && name) packages.add(input.slice(0, at) + name);
}
const notices = [...packages].sort().map((dir) => {
  const meta = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'));
  const file = readdirSync(dir).find((f) => /^licen[cs]e(?:\.(?:md|txt))?$/i.test(f));
  const text = file ? readFileSync(`${dir}${file}`, 'utf8').trim() : `License: ${meta.license} (no license file in the package)`;
  return `## ${meta.name} ${meta.version} (${meta.license})\n\n${text}\n`;
});
writeFileSync('dist/THIRD-PARTY-NOTICES.md', `# Third-party notices\n\nThe bundle in this directory includes code from these packages.\n\n${notices.join('\n')}`);
