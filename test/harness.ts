// Fixture-driven tests. For a codemod NAME:
//   __testfixtures__/NAME/CASE.input.EXT + CASE.output.EXT   one file, exact output, and idempotency
//   __testfixtures__/NAME/CASE.options.json                  optional: { path, files, context, options, followUps }
//   __testfixtures__/NAME/CASE/input/ + output/              a small repository, run with this codemod only
//   __testfixtures__/repos/CASE/input/ + output/             a whole repository, run with `all`
// A directory case may hold followups.txt: the exact follow-ups, one `path:line: message [codemod]` a line.
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { SETUP_UV_VERSION, UV_VERSION } from '../codemods/lib/versions.js';
import type { MigrationContext } from '../contract/context.js';
import { runPipeline, type RunResult } from '../runner/pipeline.js';
import type { Codemod, FollowUp, RunOptions } from '../contract/types.js';
import { MemoryFs } from '../runner/vfs.js';
import { verifyWrites } from '../runner/verify/index.js';
import { applyChanges } from '../runner/write.js';
import { makeTargets, MAKEFILE } from './corpus/checks.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../__testfixtures__');

export interface CaseOptions {
  /** The file's repository path (default CASE.EXT); must match the codemod's `files`. */
  path?: string;
  /** Other files in the virtual repository (e.g. env files the inventory reads). */
  files?: Record<string, string>;
  /** Deep-merged into the migration context after the inventories ran. */
  context?: Record<string, unknown>;
  options?: Partial<RunOptions>;
  /** The exact follow-ups this codemod reports for the case, as `LINE: MESSAGE` (or `MESSAGE` without a line). */
  followUps?: string[];
}

/** What two runs of the same repository must agree on (timings aside; follow-ups in a fixed order). */
export function comparable(result: RunResult) {
  return {
    files: result.files,
    followUps: [...result.followUps].sort((a, b) => `${a.path}:${a.line}:${a.message}`.localeCompare(`${b.path}:${b.line}:${b.message}`)),
    changes: result.changes.map((c) => ({ ...c })),
    stats: result.stats.map(({ ms: _ms, ...rest }) => rest),
    decisions: result.decisions,
  };
}

export function runOptions(dir: string, overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    dir,
    dry: false,
    force: false,
    lock: false,
    strict: false,
    keepConda: false,
    uvVersion: UV_VERSION,
    setupUvVersion: SETUP_UV_VERSION,
    verbose: false,
    ...overrides,
  };
}

export function codemodNamed(name: string): Codemod {
  const codemod = codemods.find((c) => c.name === name);
  if (!codemod) throw new Error(`no codemod named ${name}`);
  return codemod;
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !(current instanceof Map)) {
      deepMerge(current as Record<string, unknown>, value as Record<string, unknown>);
    } else if (current instanceof Map && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) current.set(k, v);
    } else {
      target[key] = value;
    }
  }
}

/** Run one codemod on in-memory files (inventories of every codemod first, as in a real run). */
export async function runOnFiles(
  name: string,
  files: Record<string, string>,
  caseOptions: Pick<CaseOptions, 'context' | 'options'> = {},
): Promise<RunResult> {
  const fs = MemoryFs.fromFiles(files);
  const adjust = (ctx: MigrationContext) => caseOptions.context && deepMerge(ctx as unknown as Record<string, unknown>, caseOptions.context);
  return runPipeline([codemodNamed(name)], codemods, runOptions('/virtual', caseOptions.options), { fs, ctx: adjust });
}

/** Run one codemod on one file's text; returns the new text and this codemod's follow-ups for that file. */
export async function transformText(
  name: string,
  filePath: string,
  source: string,
  caseOptions: Omit<CaseOptions, 'path' | 'followUps'> = {},
): Promise<{ text: string | undefined; followUps: FollowUp[]; result: RunResult }> {
  const codemod = codemodNamed(name);
  if (!picomatch(codemod.files, { dot: true })(filePath)) {
    throw new Error(`${filePath} does not match the ${name} codemod's files: give the case a "path" in its options`);
  }
  const result = await runOnFiles(name, { ...caseOptions.files, [filePath]: source }, caseOptions);
  const error = result.files.find((f) => f.status === 'error');
  if (error) throw new Error(error.message);
  const followUps = result.followUps.filter((f) => f.codemod === name && f.path === filePath);
  return { text: result.fs.written(filePath), followUps, result };
}

/** `line: message`; a follow-up folded over several lines shows them all (`16,17: message`). */
export function formatFollowUp(f: FollowUp): string {
  const at = f.lines ? f.lines.join(',') : f.line;
  return at !== undefined ? `${at}: ${f.message}` : f.message;
}

interface FileCase {
  name: string;
  input: string;
  output: string;
  ext: string;
  options: CaseOptions;
}

/** The single-file cases of a codemod's fixture folder. */
export function fileCases(codemod: string): FileCase[] {
  const dir = path.join(FIXTURES, codemod);
  if (!existsSync(dir)) return [];
  const cases: FileCase[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const match = /^(.+)\.input\.(.+)$/.exec(entry);
    if (!match) continue;
    const [, name, ext] = match as unknown as [string, string, string];
    const optionsFile = path.join(dir, `${name}.options.json`);
    cases.push({
      name,
      ext,
      input: path.join(dir, entry),
      output: path.join(dir, `${name}.output.${ext}`),
      options: existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as CaseOptions) : {},
    });
  }
  return cases;
}

/** The directory cases under a folder: each CASE/ with input/ and output/. */
export function dirCases(folder: string): string[] {
  const dir = path.join(FIXTURES, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => existsSync(path.join(dir, entry, 'input')))
    .sort()
    .map((entry) => path.join(dir, entry));
}

/** Every file under `dir`, repository-relative, with its bytes and whether it is executable. */
export function readTree(dir: string): Map<string, { bytes: Buffer; exec: boolean }> {
  const tree = new Map<string, { bytes: Buffer; exec: boolean }>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        const abs = path.join(dir, rel);
        tree.set(rel, { bytes: readFileSync(abs), exec: (statSync(abs).mode & 0o111) !== 0 });
      }
    }
  };
  walk('');
  return tree;
}

/** Run codemods on a copy of `caseDir/input`, write the result, and compare with `caseDir/output`. */
export async function runDirCase(caseDir: string, selected: readonly Codemod[], overrides: Partial<RunOptions> = {}) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'geist-case-'));
  try {
    cpSync(path.join(caseDir, 'input'), work, { recursive: true });
    // git does not keep modes beyond the exec bit; scripts in fixtures are marked by their shebang.
    for (const [rel, file] of readTree(work)) if (file.bytes.subarray(0, 2).toString() === '#!') chmodSync(path.join(work, rel), 0o755);
    const first = await runPipeline(selected, codemods, runOptions(work, overrides));
    applyChanges(work, first.changes);
    const actual = readTree(work);
    const second = await runPipeline(selected, codemods, runOptions(work, overrides));
    return { first, second, actual, expected: readTree(path.join(caseDir, 'output')) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function expectedFollowUps(caseDir: string): string[] | undefined {
  const file = path.join(caseDir, 'followups.txt');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

export function followUpLines(followUps: readonly FollowUp[]): string[] {
  return followUps.map((f) => `${f.path}${f.line !== undefined ? `:${f.lines ? f.lines.join(',') : f.line}` : ''}: ${f.message} [${f.codemod}]`).sort();
}

/** Register the fixture tests of one codemod: every file case and directory case of its folder. */
export function describeFixtures(codemod: string, defaults: Pick<CaseOptions, 'context'> = {}): void {
  const cases = fileCases(codemod).map((c) => ({ ...c, options: { ...c.options, context: { ...defaults.context, ...c.options.context } } }));
  const dirs = dirCases(codemod);
  describe(`${codemod} fixtures`, () => {
    it('has fixtures', () => {
      expect(cases.length + dirs.length).toBeGreaterThan(0);
    });
    for (const c of cases) {
      const filePath = c.options.path ?? `${c.name}.${c.ext}`;
      it(`${c.name}: exact output`, async () => {
        const input = readFileSync(c.input, 'utf8');
        const { text, followUps } = await transformText(codemod, filePath, input, c.options);
        const output = readFileSync(c.output, 'utf8');
        expect(text).toBe(output);
        if (c.options.followUps) expect(followUps.map(formatFollowUp)).toEqual(c.options.followUps);
        await expectVerified(filePath, input, output, c.options.files);
      });
      it(`${c.name}: idempotent`, async () => {
        const output = readFileSync(c.output, 'utf8');
        const { text } = await transformText(codemod, filePath, output, c.options);
        expect(text).toBe(output);
      });
    }
    for (const caseDir of dirs) {
      it(`${path.basename(caseDir)}: repository output and idempotency`, async () => {
        await expectDirCase(caseDir, [codemodNamed(codemod)]);
      });
    }
  });
}

/**
 * A fixture's output passes the verification step the pipeline runs before writing (against its input,
 * as a run would), and a Makefile keeps the targets GNU make reads (run on our fixtures only: make
 * evaluates `$(shell ...)`).
 */
export async function expectVerified(filePath: string, input: string, output: string, others: Record<string, string> = {}): Promise<void> {
  const fs = MemoryFs.fromFiles({ ...others, [filePath]: input });
  fs.write(filePath, output);
  expect(await verifyWrites(fs)).toEqual([]);
  if (MAKEFILE.test(filePath)) expect(makeTargets(output), `${filePath}: make's targets`).toEqual(makeTargets(input));
}

/** Assert a directory case: files, bytes and exec bits as in output/, follow-ups as listed, second run a no-op. */
export async function expectDirCase(caseDir: string, selected: readonly Codemod[]): Promise<RunResult> {
  const { first, second, actual, expected } = await runDirCase(caseDir, selected);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [rel, file] of expected) {
    expect(actual.get(rel)?.bytes.toString('utf8'), rel).toBe(file.bytes.toString('utf8'));
    expect(actual.get(rel)?.bytes.equals(file.bytes), `${rel} bytes`).toBe(true);
    expect(actual.get(rel)?.exec, `${rel} executable`).toBe(file.bytes.subarray(0, 2).toString() === '#!');
  }
  expect(first.files.filter((f) => f.status === 'error')).toEqual([]);
  expect(second.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([]);
  const input = readTree(path.join(caseDir, 'input'));
  for (const [rel, file] of expected) {
    const before = input.get(rel);
    if (before && MAKEFILE.test(rel)) expect(makeTargets(file.bytes.toString('utf8')), `${rel}: make's targets`).toEqual(makeTargets(before.bytes.toString('utf8')));
  }
  const follow = expectedFollowUps(caseDir);
  if (follow) expect(followUpLines(first.followUps)).toEqual([...follow].sort());
  return first;
}
