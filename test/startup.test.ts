// The start-up module (runner/startup.ts, built as dist/runner/startup.js): the V8 flag it sets and
// when it leaves them alone, Node's compile cache where Node has one, and GEIST_STARTUP=plain.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const STARTUP = JSON.stringify(path.join(ROOT, 'dist/runner/startup.js'));
const V8_MAJOR = Number(process.versions.v8.split('.')[0]);
const run = (script: string, nodeFlags: string[] = [], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...nodeFlags, '-e', `require(${STARTUP});\n${script}`], { encoding: 'utf8', env: { ...process.env, ...env } });

describe("V8's young generation", () => {
  // Left as V8 has it (a flag that kept it at its starting size measured slower once the run did less work).
  it('grows as V8 grows it, on every Node', () => {
    const r = run(
      `const keep = [];
for (let i = 0; i < 6e5; i++) { const o = { a: 'x'.repeat(20) + i, b: [i, i + 1] }; if (i % 10 === 0) keep.push(o); }
process.stdout.write(String(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));`,
    );
    expect(r.stderr).toBe('');
    expect(Number(r.stdout)).toBeGreaterThan(4 * 1024 * 1024);
  });
});

describe('TurboFan', () => {
  // On V8 11 (Node 20) it waits longer before optimising a function; code that stays hot is still
  // optimised, and a budget of the user's own wins. Seen in --trace-opt's "marking" lines.
  const marked = (calls: number, nodeFlags: string[] = [], env: Record<string, string> = {}) => {
    const r = run(
      `function work(s) { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0; return h; }
let t = 0; for (let i = 0; i < ${calls}; i++) t += work('abcdefghij' + i);`,
      ['--trace-opt', ...nodeFlags],
      env,
    );
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').some((line) => /^\[marking .*<JSFunction work /.test(line));
  };

  it.runIf(V8_MAJOR <= 11)('optimises only code that stays hot, unless the user set the budget or asked for a plain start', () => {
    expect(marked(300)).toBe(false);
    expect(marked(300, ['--interrupt-budget=67584'])).toBe(true); // V8 11's default
    expect(marked(300, [], { GEIST_STARTUP: 'plain' })).toBe(true);
    expect(marked(5000)).toBe(true);
  });

  it('sets no flag the running V8 does not know (V8 would print an error at every run)', () => {
    const r = run('');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe("Node's compile cache", () => {
  const hasCache = typeof (module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

  it.runIf(hasCache)('is on where Node has one: a CLI run fills it (in the temporary folder by default), and GEIST_STARTUP=plain leaves it off', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'geist-compile-cache-'));
    const cache = path.join(tmp, 'node-compile-cache');
    try {
      const env = { TMPDIR: tmp, NODE_COMPILE_CACHE: '' };
      expect(runCli(['list'], { env: { ...env, GEIST_STARTUP: 'plain' } }).code).toBe(0);
      expect(existsSync(cache)).toBe(false);
      const status = JSON.parse(run(`process.stdout.write(JSON.stringify(require(${STARTUP}).compileCache))`, [], env).stdout) as { status: number; directory: string };
      expect(status).toMatchObject({ status: 1 /* module.constants.compileCacheStatus.ENABLED */, directory: expect.stringContaining(cache) });
      expect(runCli(['list'], { env }).code).toBe(0);
      expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.runIf(!hasCache)('is left alone where Node has none (Node 20)', () => {
    expect(execFileSync(process.execPath, ['-p', `String(require(${STARTUP}).compileCache)`], { encoding: 'utf8' })).toBe('undefined\n');
  });
});

describe('the CLI with and without its start-up tricks', () => {
  const repo = path.join(ROOT, '__testfixtures__/repos/geist/input');

  it('prints the same diff and report', () => {
    const [tuned, plain] = [{}, { GEIST_STARTUP: 'plain' }].map((env) => runCli(['all', '--dry', repo], { env })).map((r) => ({ ...r, stdout: r.stdout.replace(/Done in [\d.]+ s\./, 'Done in N s.') }));
    expect(tuned!.code).toBe(0);
    expect(tuned!.stdout).toContain('diff --git a/Dockerfile b/Dockerfile');
    expect(tuned).toEqual(plain);
  });
});
