// Builds dist/: the runner, the codemods and the parsers bundled into a few CommonJS modules. Node
// resolves, reads and links every module file on its own, which cost more than compiling them (~50 files
// of ours, ~70 of yaml alone). Type checking is `npm run typecheck`.
import { build, transform } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
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

// esbuild splits lazily imported code into chunks only for ES modules; those are then turned into
// CommonJS, where esbuild's lazy require of a bundled CommonJS parser works as it does in the sources.
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  write: false,
  metafile: true,
  define: { 'import.meta.url': '__importMetaUrl' },
};

/** Writes an ES module build's chunks as CommonJS modules: static imports become require() calls. */
async function writeCommonJs({ outputFiles, metafile }) {
  assertNoCycles(metafile);
  for (const { path: file, text } of outputFiles) {
    const { code } = await transform(text.replace(/^#!.*\n/, ''), { format: 'cjs', target: 'node20', platform: 'node' });
    // A chunk imported lazily still loads on first use, now through require; a package (globby is
    // ES-only) keeps its import().
    const lazy = code.replace(/\bimport\(("\.\/[^"]+")\)/g, 'Promise.resolve().then(() => require($1))');
    const entry = text.startsWith('#!');
    const header = [
      entry && '#!/usr/bin/env node',
      // The start-up module before anything else loads: esbuild puts the shared chunks' imports first.
      entry && "require('./startup.js');",
      lazy.includes('__importMetaUrl') && "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    ].filter(Boolean);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, [...header, lazy].join('\n'), { mode: entry ? 0o755 : 0o644 });
  }
}

// Under CommonJS a module in an import cycle could see another's bindings before they are set; esbuild's
// chunks form none, and the build makes sure.
function assertNoCycles(metafile) {
  const imports = (file) => metafile.outputs[file]?.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path) ?? [];
  const done = new Set();
  const visit = (file, trail) => {
    if (trail.includes(file)) throw new Error(`build: the chunks import each other: ${[...trail, file].join(' -> ')}`);
    if (done.has(file)) return;
    for (const next of imports(file)) visit(next, [...trail, file]);
    done.add(file);
  };
  for (const file of Object.keys(metafile.outputs)) visit(file, []);
}

// The start-up module (runner/startup.ts): one file of its own, the CLI's first import.
await writeCommonJs(await build({ ...common, entryPoints: ['runner/startup.ts'], outfile: 'dist/runner/startup.js' }));

const result = await build({
  ...common,
  entryPoints: ['runner/cli.ts'],
  outdir: 'dist/runner',
  chunkNames: '[name]-[hash]', // beside cli.js: paths relative to import.meta.url stay as in the sources
  splitting: true, // each dynamic import() stays lazy: a chunk of its own
  // Node loads every module file on its own (yaml alone is ~70 files), so the parsers are
  // devDependencies bundled into the chunks that load them. The runtime dependencies stay outside:
  // mvdan-sh (one file), and what is rarely loaded.
  external: ['./startup.js', ...Object.keys(pkg.dependencies)],
  plugins: [lazyRequires],
});
await writeCommonJs(result);
// The root package.json says "type": "module"; dist/ holds CommonJS.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
const { metafile } = result;

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
// The conda -> PyPI table (codemods/lib/conda/pypi-table.ts) is derived from parselmouth's data: its notice too.
const parselmouth = readFileSync('codemods/lib/conda/parselmouth-LICENSE', 'utf8').trim();
notices.push(`## parselmouth conda -> PyPI mapping data (BSD-3-Clause)\n\nThe conda -> PyPI name table is derived from github.com/prefix-dev/parselmouth.\n\n${parselmouth}\n`);
writeFileSync('dist/THIRD-PARTY-NOTICES.md', `# Third-party notices\n\nThe bundle in this directory includes code and data from these packages.\n\n${notices.join('\n')}`);
