// One corpus repository through the built CLI: copied into a fresh git repository, migrated, judged
// by checks.ts and its expectation file, committed and migrated again (a second run must change nothing).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { changedPaths, judge, type Finding, type RequirementValidator, type RunJson, type Tree } from './checks.js';
import type { Expectation } from './expectation.js';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** The first ../shared/corpus/repos above the project. */
export function findCorpusRepos(from = projectRoot): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'corpus', 'repos');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'corpus', GIT_AUTHOR_EMAIL: 'corpus@example.com', GIT_COMMITTER_NAME: 'corpus', GIT_COMMITTER_EMAIL: 'corpus@example.com' };

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], { cwd, env: GIT_ENV, stdio: 'ignore' });
}

/** A copy of a corpus repository as a one-commit git repository (`add -f`: some track files their .gitignore matches). */
export function copyAsGitRepo(source: string, dest: string): void {
  cpSync(source, dest, { recursive: true, verbatimSymlinks: true });
  execFileSync('chmod', ['-R', 'u+w', dest]);
  git(dest, 'init', '-q');
  commitAll(dest, 'corpus: base');
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A', '-f');
  git(dir, 'commit', '-q', '--allow-empty', '--no-verify', '-m', message);
}

/** Every file under dir but .git, as text (symlinks as `-> target`, binary files left out). */
export function readTree(dir: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (p === '.git') continue;
      const full = path.join(dir, p);
      if (entry.isSymbolicLink()) tree.set(p, `-> ${readlinkSync(full)}`);
      else if (entry.isDirectory()) walk(p);
      else if (lstatSync(full).isFile()) {
        const bytes = readFileSync(full);
        if (!bytes.includes(0)) tree.set(p, bytes.toString('utf8'));
      }
    }
  };
  walk('');
  return tree;
}

/** PEP 508 as Python's own `packaging` reads it: the error of each requirement, or undefined. */
export const packagingValidator: RequirementValidator = (requirements) => {
  if (requirements.length === 0) return [];
  const script = [
    'import json, sys',
    'from packaging.requirements import Requirement',
    'out = []',
    'for r in json.load(sys.stdin):',
    '    try:',
    '        Requirement(r); out.append(None)',
    '    except Exception as e:',
    '        out.append(str(e).splitlines()[0])',
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(requirements), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 with the packaging library is needed to check PEP 508 (pip install packaging): ${result.stderr || result.error}`);
  return (JSON.parse(result.stdout) as (string | null)[]).map((e) => e ?? undefined);
};

/** `all --json` by the CLI at `cli`, in `dir`; `json` is undefined when stdout holds no JSON object. */
export function runCli(cli: string, dir: string): { status: number | null; json?: RunJson; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'all', '--json'], { cwd: dir, encoding: 'utf8', timeout: 300_000, maxBuffer: 256 * 1024 * 1024 });
  let json: RunJson | undefined;
  try {
    json = JSON.parse(result.stdout) as RunJson;
  } catch {
    json = undefined;
  }
  return { status: result.status, json, stderr: result.stderr };
}

export interface RepoResult {
  name: string;
  verdict: 'clean' | 'findings' | 'crash';
  changed: number;
  followUps: number;
  /** The run's plan: the project kind, and the sentence of a run that migrated nothing. */
  plan?: { kind?: string; refusal?: string };
  findings: Finding[];
}

export function runRepo(name: string, source: string, cli: string, expected: Expectation | undefined, keepDir?: string): RepoResult {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'geist-corpus-'));
  const dir = path.join(tmp, name);
  try {
    copyAsGitRepo(source, dir);
    const before = readTree(dir);
    const first = runCli(cli, dir);
    if ((first.status !== 0 && first.status !== 1) || !first.json) {
      const why = first.status === null ? 'killed or timed out' : `exit ${first.status}${first.json ? '' : ', no JSON object'}`;
      const lines = first.stderr.trim().split('\n');
      const error = lines.find((l) => /Error\b|error:/.test(l)) ?? lines.at(-1);
      return { name, verdict: 'crash', changed: 0, followUps: 0, findings: [{ check: 'crash', message: `${why}: ${error}` }] };
    }
    const after = readTree(dir);
    const { modified, created, deleted } = changedPaths(before, after);
    const findings = judge(before, after, first.json, expected, packagingValidator);

    commitAll(dir, 'corpus: migrated');
    const second = runCli(cli, dir);
    const again = changedPaths(after, readTree(dir));
    const secondChanged = [...again.modified, ...again.created, ...again.deleted];
    if (second.status !== 0 && second.status !== 1) findings.push({ check: 'second-run', message: `the second run exited ${second.status}` });
    for (const p of secondChanged) findings.push({ check: 'second-run', path: p, message: 'a second run on the committed result changed it again' });
    if (keepDir) {
      mkdirSync(keepDir, { recursive: true });
      rmSync(path.join(keepDir, name), { recursive: true, force: true });
      execFileSync('git', ['-c', 'core.hooksPath=/dev/null', 'reset', '-q', '--hard'], { cwd: dir });
      cpSync(dir, path.join(keepDir, name), { recursive: true, verbatimSymlinks: true });
    }
    return {
      name,
      verdict: findings.length ? 'findings' : 'clean',
      changed: modified.length + created.length + deleted.length,
      followUps: first.json.followUps.length,
      ...(first.json.plan ? { plan: { kind: first.json.plan.kind, refusal: first.json.plan.refusal } } : {}),
      findings,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function loadExpectation(name: string): Expectation | undefined {
  const file = path.join(projectRoot, 'test', 'corpus', 'expectations', `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Expectation) : undefined;
}

/** `check(detail)` once per check, with a count where a check fires more than once. */
export function summarizeFindings(findings: readonly Finding[]): string {
  const byCheck = new Map<string, Finding[]>();
  for (const f of findings) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
  return [...byCheck]
    .map(([check, list]) => {
      const first = list[0];
      const where = first.path ? `${first.path}${first.line ? `:${first.line}` : ''}: ` : '';
      return `${check}${list.length > 1 ? ` x${list.length}` : ''} (${where}${first.message.slice(0, 140)})`;
    })
    .join('; ');
}
