// The V8 code cache for CommonJS modules (runner/code-cache.ts): what `npm run build` ships, that an
// entry applies to its exact source only, that a module from the cache sees what Node's own compile
// gives it, and that the CLI's output is the same with and without the cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir, runCli } from './cli-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const hashOf = (content: string) => createHash('sha256').update(Module.wrap(content)).digest('base64');

/** The cache file's header and entries (layout in runner/code-cache.ts). */
function readCacheFile(file: string): { tag: number; entries: Map<string, Buffer> } {
  const buf = readFileSync(file);
  let offset = 4 + buf.readUInt32LE(0);
  const header = JSON.parse(buf.toString('utf8', 4, offset)) as { tag: number; entries: [string, number][] };
  const entries = new Map(header.entries.map(([hash, bytes]) => [hash, buf.subarray(offset, (offset += bytes))]));
  expect(offset).toBe(buf.length);
  return { tag: header.tag, entries };
}

describe('the cache that npm run build ships', () => {
  const file = path.join(ROOT, 'dist/code-cache.bin');

  it('holds our bundle and the parsers, keyed by the exact source, for the V8 that built it', () => {
    const { tag, entries } = readCacheFile(file);
    const resolve = createRequire(path.join(ROOT, 'package.json')).resolve;
    const has = (file: string) => entries.has(hashOf(readFileSync(file, 'utf8')));
    expect(has(resolve('mvdan-sh'))).toBe(true);
    // Bundled into dist/ (scripts/build.mjs): nothing of theirs loads from node_modules.
    for (const bundled of ['yaml', 'dockerfile-ast', 'diff', 'picomatch']) expect(has(resolve(bundled)), bundled).toBe(false);
    // The bundle's chunks, CommonJS modules: the codemods, the pipeline and the chunks they share (not
    // those that import(), nor the CLI itself, which compiles before the hook is in place).
    const chunks = readdirSync(path.join(ROOT, 'dist/runner')).map((name) => path.join(ROOT, 'dist/runner', name));
    const cachable = chunks.filter((f) => /\/(?:codemods|pipeline|chunk)-\w+\.js$/.test(f) && !readFileSync(f, 'utf8').includes('import('));
    expect(cachable.length).toBeGreaterThan(5);
    for (const chunk of cachable) expect(has(chunk), chunk).toBe(true);
    expect(has(path.join(ROOT, 'dist/runner/cli.js'))).toBe(false);
    // The tag the CLI sees: the hook's module sets a V8 flag first, and flags are part of the tag.
    const hook = JSON.stringify(path.join(ROOT, 'dist/runner/code-cache.js'));
    const cliTag = execFileSync(process.execPath, ['-p', `require(${hook}); require("node:v8").cachedDataVersionTag()`], { encoding: 'utf8' });
    expect(tag).toBe(Number(cliTag));
  });
});

describe('a CommonJS module under node_modules', () => {
  // What a module sees of Node: its arguments, `this`, require and its properties, and where an error
  // on its first line points (a vm.Script of the wrapped source would shift line 1's columns).
  const INDEX = `const firstLine = new Error('here').stack.split('\\n')[1].trim();
module.exports = {
  value: 'A',
  firstLine,
  thisIsExports: this === module.exports,
  args: arguments.length,
  filename: __filename,
  dirname: __dirname,
  resolved: require.resolve('./other'),
  paths: require.resolve.paths('x'),
  cached: require.cache[__filename] === module,
  main: require.main === undefined ? 'undefined' : require.main.filename,
  extensions: require.extensions === require('node:module')._extensions,
  loaded: module.loaded,
  other: require('./other'),
  bin: require('./bin'),
};
`;
  const DRIVER = `import { codeCacheHits } from './dist/runner/code-cache.js';
import { createRequire } from 'node:module';
const dep = createRequire(import.meta.url)('dep');
const lazy = await createRequire(import.meta.url)('dep/lazy.js')();
process.stdout.write(JSON.stringify({ ...dep, lazy, hits: codeCacheHits() }));
`;
  // The built hook beside its own node_modules: its cache file is this directory's dist/code-cache.bin.
  const dir = makeDir({
    'dist/runner/code-cache.js': readFileSync(path.join(ROOT, 'dist/runner/code-cache.js')),
    'dist/package.json': readFileSync(path.join(ROOT, 'dist/package.json')),
    'package.json': '{ "type": "module" }\n',
    'main.mjs': DRIVER,
    'node_modules/dep/package.json': '{ "name": "dep", "version": "1.0.0" }\n',
    'node_modules/dep/index.js': INDEX,
    'node_modules/dep/other.js': "exports.answer = 6 * 7;\n",
    'node_modules/dep/bin.js': '#!/usr/bin/env node\nmodule.exports = "shebang ok";\n',
    'node_modules/dep/lazy.js': "module.exports = () => import('./other.js').then((m) => m.answer);\n",
  });
  const index = path.join(dir, 'node_modules/dep/index.js');
  const cacheFile = path.join(dir, 'dist/code-cache.bin');
  const run = (env: Record<string, string> = {}, cwd = dir, nodeFlags: string[] = []) => {
    const r = spawnSync(process.execPath, [...nodeFlags, 'main.mjs'], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { hits, ...seen } = JSON.parse(r.stdout) as Record<string, unknown>;
    return { hits, seen };
  };

  it('is compiled from the cache only for its exact source, and sees what Node gives it', () => {
    const own = run({ GEIST_CODE_CACHE: 'off' });
    expect(own.seen).toMatchObject({ value: 'A', thisIsExports: true, args: 5, cached: true, loaded: false, extensions: true });
    expect(own.seen.firstLine).toMatch(/node_modules\/dep\/index\.js:1:19\)$/);
    expect(own.seen.bin).toBe('shebang ok');
    expect(own.seen.lazy).toBe(42);
    expect(existsSync(cacheFile)).toBe(false);

    expect(run()).toEqual({ hits: 0, seen: own.seen }); // no cache file yet
    expect(run({ GEIST_CODE_CACHE: 'collect' })).toEqual({ hits: 0, seen: own.seen });
    // index.js and other.js. Node compiles bin.js (a shebang line is not a script V8 compiles wrapped)
    // and lazy.js (a script from the cache cannot import()).
    expect(readCacheFile(cacheFile).entries.size).toBe(2);
    expect(run()).toEqual({ hits: 2, seen: own.seen });
    expect(run({ GEIST_CODE_CACHE: 'off' })).toEqual({ hits: 0, seen: own.seen });

    // Under other V8 flags the cache is not used, and Node compiles the source.
    expect(run({}, dir, ['--no-opt'])).toEqual({ hits: 0, seen: own.seen });

    // Moved elsewhere, the cache is not used: a script from it would name the old place in stack traces.
    const moved = makeDir({});
    cpSync(dir, moved, { recursive: true });
    const there = run({}, moved);
    expect(there.hits).toBe(0);
    expect(there.seen.firstLine).toBe(String(own.seen.firstLine).replace(dir, moved));

    // One byte changed, same length: V8, which checks only the length, would run the old code ...
    const changed = INDEX.replace("value: 'A'", "value: 'B'");
    // (Under the hook's V8 flags, as the cache was made: V8 rejects data made under other flags.)
    const oldData = path.join(dir, 'old-index.bin');
    writeFileSync(oldData, readCacheFile(cacheFile).entries.get(hashOf(INDEX))!);
    const probe = `require(${JSON.stringify(path.join(dir, 'dist/runner/code-cache.js'))});
const vm = require('node:vm'), Module = require('node:module');
const script = new vm.Script(Module.wrap(${JSON.stringify(changed)}), { cachedData: require('node:fs').readFileSync(${JSON.stringify(oldData)}) });
const stale = { exports: {} };
script.runInThisContext()(stale.exports, Module.createRequire(${JSON.stringify(index)}), stale, ${JSON.stringify(index)}, ${JSON.stringify(path.dirname(index))});
process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, value: stale.exports.value }));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }))).toEqual({ rejected: false, value: 'A' });
    // ... so the hook keys entries by the source's hash, and the changed module runs its own code.
    writeFileSync(index, changed);
    expect(run()).toEqual({ hits: 1, seen: { ...own.seen, value: 'B' } });

    // A file cut short (its last entry, other.js, partly gone): Node compiles what the cache cannot give.
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, -10));
    expect(run()).toEqual({ hits: 0, seen: { ...own.seen, value: 'B' } });
  });
});

describe("V8's young generation", () => {
  // The hook's module, first to load, keeps the young generation at its starting size (slow fresh
  // memory on small VMs); a semi-space flag of the user's own wins. Seen in the new space's size after
  // allocating ~60 MB, a tenth of it kept.
  const newSpace = (nodeFlags: string[]) => {
    const script = `require(${JSON.stringify(path.join(ROOT, 'dist/runner/code-cache.js'))});
const keep = [];
for (let i = 0; i < 6e5; i++) { const o = { a: 'x'.repeat(20) + i, b: [i, i + 1] }; if (i % 10 === 0) keep.push(o); }
process.stdout.write(String(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));`;
    return Number(execFileSync(process.execPath, [...nodeFlags, '-e', script], { encoding: 'utf8' }));
  };

  it('stays at its starting size, unless the user set its size', () => {
    expect(newSpace([])).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(newSpace(['--max-semi-space-size=16'])).toBeGreaterThan(8 * 1024 * 1024);
  });
});

describe("Node's own modules", () => {
  // Node ships code cache data for its modules, made under V8's default flags: the modules every run
  // needs load before the hook changes the flags, or they would compile from scratch.
  it('that every run needs load before the V8 flags change', () => {
    const script = `const v8 = require('node:v8');
const set = v8.setFlagsFromString;
let loaded;
v8.setFlagsFromString = (flags) => { loaded ??= process.moduleLoadList.slice(); return set.call(v8, flags); };
require(${JSON.stringify(path.join(ROOT, 'dist/runner/code-cache.js'))});
process.stdout.write(JSON.stringify(loaded));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    for (const name of ['child_process', 'crypto', 'os', 'perf_hooks', 'internal/util/parse_args/parse_args']) {
      expect(loaded, name).toContain(`NativeModule ${name}`);
    }
  });
});

describe('TurboFan', () => {
  // The hook's module makes V8 wait longer before optimising a function (a run is short, and optimising
  // takes CPU from the run on 2 cores); code that stays hot is still optimised, and a budget of the user's
  // own wins. Seen in --trace-opt's "marking" lines for a small hot function.
  const marked = (calls: number, nodeFlags: string[] = []) => {
    const script = `require(${JSON.stringify(path.join(ROOT, 'dist/runner/code-cache.js'))});
function work(s) { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0; return h; }
let t = 0; for (let i = 0; i < ${calls}; i++) t += work('abcdefghij' + i);`;
    const out = execFileSync(process.execPath, ['--trace-opt', ...nodeFlags, '-e', script], { encoding: 'utf8' });
    return out.split('\n').some((line) => /^\[marking .*<JSFunction work /.test(line));
  };

  it('optimises only code that stays hot, unless the user set the budget', () => {
    expect(marked(300)).toBe(false);
    expect(marked(300, ['--interrupt-budget=67584'])).toBe(true); // V8 11's default
    expect(marked(5000)).toBe(true);
  });
});

describe('the CLI with and without the cache', () => {
  const repo = path.join(ROOT, '__testfixtures__/repos/geist/input');
  const both = (args: string[]) => [{}, { GEIST_CODE_CACHE: 'off' }].map((env) => runCli([...args, repo], { env }));

  it('prints the same diff and report', () => {
    const [cached, own] = both(['all', '--dry']).map((r) => ({ ...r, stdout: r.stdout.replace(/Done in [\d.]+ s\./, 'Done in N s.') }));
    expect(cached!.code).toBe(0);
    expect(cached!.stdout).toContain('diff --git a/Dockerfile b/Dockerfile');
    expect(cached).toEqual(own);
  });

  it('--verbose tells how many modules came from the cache', () => {
    const [cached, own] = both(['all', '--dry', '--quiet', '--verbose']);
    expect(cached!.stderr).toMatch(/; [1-9]\d* modules from the code cache\n$/);
    expect(own!.stderr).toMatch(/; 0 modules from the code cache\n$/);
  });
});
