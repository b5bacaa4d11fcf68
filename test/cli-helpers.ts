// Spawning the built CLI on temporary repositories. `npm test` builds dist/ before vitest runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const CLI = path.resolve(import.meta.dirname, '../dist/runner/cli.js');

/** Whether a tool the tests use where it is installed (shellcheck, make) answers `--version`. */
export function installed(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): CliRun {
  const env = { ...process.env, NO_COLOR: '1', ...opts.env };
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd, env, encoding: 'utf8', timeout: opts.timeout });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** What `--json` prints, as the tests read it. */
export interface JsonReport {
  files: { path: string; status: string; message?: string; codemod: string }[];
  followUps: { path: string; line?: number; message: string; codemod: string }[];
  plan: { envFiles: { path: string; action: string; why: string }[] };
}

/** `all --json ARGS DIR`: the run, its parsed report and its error messages (throws when there is no report). */
export function runAll(dir: string, ...args: string[]) {
  const result = runCli(['all', '--json', ...args, dir]);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, report, errors: report.files.filter((f) => f.status === 'error').map((f) => f.message) };
}

/** The temporary directories this test file made: removed once its tests are done. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) {
    if (!existsSync(dir)) continue; // the test removed it
    // A test may leave a folder read-only (the write-fault tests): writable again, or its files stay.
    spawnSync('chmod', ['-R', 'u+rwX', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** An empty temporary directory, removed after the test file's tests. */
export function tempDir(prefix = 'geist-cli-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temporary directory holding `files` (a leading "#!" makes a file executable). */
export function makeDir(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    if (content.slice(0, 2).toString() === '#!') chmodSync(abs, 0o755);
  }
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A temporary git repository with `files` committed. */
export function makeRepo(files: Record<string, string | Buffer>): string {
  const dir = makeDir(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
  git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  return dir;
}

/** A small conda project for CLI tests. */
export const TINY_PROJECT: Record<string, string> = {
  'environment.yml': 'name: tiny\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy=1.26\n',
  '.gitignore': '__pycache__/\n',
  'app.py': 'print("hello")\n',
};
