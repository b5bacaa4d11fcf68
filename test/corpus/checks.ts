// The corpus harness's judgement of one migrated repository: pure functions of the tree before and
// after the run, the run's JSON and the expectation file, so that a test can hand them a broken output.
// The parsers are the libraries themselves, not the product's wrappers: a check must not share a bug
// with the code it checks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import type { Expectation } from './expectation.js';

const require = createRequire(import.meta.url);

/** A repository as text: repository-relative path -> content (binary files left out). */
export type Tree = ReadonlyMap<string, string>;

export interface Finding {
  check: string;
  path?: string;
  line?: number;
  message: string;
}

/** What the harness reads of the tool's `--json` output. */
export interface RunJson {
  files: { path: string; status: string; codemod?: string; message?: string }[];
  followUps: { path: string; line?: number; message: string; codemod?: string }[];
  plan?: { kind?: string; refusal?: string; units?: string[] };
}

export type RequirementValidator = (requirements: readonly string[]) => (string | undefined)[];

/** The paths whose content differs, appeared or disappeared. */
export function changedPaths(before: Tree, after: Tree): { modified: string[]; created: string[]; deleted: string[] } {
  const modified: string[] = [];
  const created: string[] = [];
  const deleted: string[] = [];
  for (const [p, text] of after) {
    const old = before.get(p);
    if (old === undefined) created.push(p);
    else if (old !== text) modified.push(p);
  }
  for (const p of before.keys()) if (!after.has(p)) deleted.push(p);
  return { modified, created, deleted };
}

// ---------------------------------------------------------------------------------------------
// Every written file parses again with its format's parser.

const DOCKERFILE = /(^|\/)(Dockerfile[^/]*|[^/]+\.[Dd]ockerfile|dockerfiles\/[^/]+)$/;
const DOCKER_INSTRUCTIONS = new Set(
  'ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL STOPSIGNAL USER VOLUME WORKDIR'.split(' '),
);

export function isShellScript(file: string, text: string): boolean {
  return /\.(sh|bash)$/.test(file) || /^#!\s*\S*\b(ba)?sh\b/.test(text) || /^#!\s*\/usr\/bin\/env\s+(ba)?sh\b/.test(text);
}

/** The parse error of one file, or undefined when it parses (or is of no format we check). */
export function parseError(file: string, text: string): { line: number; message: string } | undefined {
  const base = path.posix.basename(file);
  try {
    if (/\.ya?ml$/.test(base)) {
      for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false }) as unknown as { errors: { message: string; linePos?: { line: number }[] }[] }[]) {
        const err = doc.errors?.[0];
        if (err) return { line: err.linePos?.[0]?.line ?? 1, message: err.message.split('\n')[0] };
      }
      return undefined;
    }
    if (base.endsWith('.toml')) {
      parseToml(text);
      return undefined;
    }
    if (base.endsWith('.json') && !base.endsWith('.ipynb')) {
      JSON.parse(text.replace(/^\uFEFF/, ''));
      return undefined;
    }
    if (DOCKERFILE.test(file)) return dockerfileError(text);
    if (isShellScript(file, text)) return shellError(file, text);
  } catch (e) {
    const err = e as { message?: string; line?: number; linePos?: { line: number } };
    const m = /line (\d+)/.exec(err.message ?? '');
    return { line: err.line ?? err.linePos?.line ?? (m ? Number(m[1]) : 1), message: (err.message ?? String(e)).split('\n')[0] };
  }
  return undefined;
}

function shellError(file: string, text: string): { line: number; message: string } | undefined {
  const { syntax } = require('mvdan-sh') as { syntax: { NewParser(): { Parse(src: string, name: string): unknown } } };
  try {
    syntax.NewParser().Parse(text, file);
    return undefined;
  } catch (e) {
    const message = String((e as { Error?: () => string }).Error?.() ?? (e as Error).message ?? e);
    const m = /:(\d+):(\d+):/.exec(message);
    return { line: m ? Number(m[1]) : 1, message };
  }
}

/** A Dockerfile parses when every instruction is one Docker knows and every exec form is a JSON array. */
function dockerfileError(text: string): { line: number; message: string } | undefined {
  const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
  const dockerfile = DockerfileParser.parse(text);
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    if (!DOCKER_INSTRUCTIONS.has(keyword)) return { line, message: `unknown instruction ${keyword}` };
    if (!['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME'].includes(keyword)) continue;
    const args = instruction.getRawArgumentsContent?.() ?? '';
    const flagsOff = args.replace(/^(\s*--\S+\s+)*/, '').trim();
    // An exec form is a JSON array; a shell form may legally start with `[[` or `[ ` (a test command).
    if (flagsOff.startsWith('[') && !/^\[\[?\s/.test(flagsOff) && /\]\s*$/.test(flagsOff)) {
      try {
        const value = JSON.parse(flagsOff.replace(/\\\r?\n/g, ''));
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return { line, message: `${keyword}: exec form is not an array of strings` };
      } catch {
        return { line, message: `${keyword}: exec form is not valid JSON` };
      }
    }
  }
  return undefined;
}

export function checkParses(before: Tree, after: Tree): Finding[] {
  const { modified, created } = changedPaths(before, after);
  const findings: Finding[] = [];
  for (const p of [...modified, ...created]) {
    const error = parseError(p, after.get(p)!);
    if (error) findings.push({ check: 'parse', path: p, line: error.line, message: error.message });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// A rewritten Makefile defines the same targets, as GNU make reads it (`make -pRrq`, when make is
// installed). make evaluates `$(shell ...)` while it reads, so this runs on our fixtures and corpus copies
// only, in a scratch folder: never in the product, which executes nothing from a repository.

let makeFound: boolean | undefined;

/** The targets GNU make reads from a Makefile's text, or undefined when make is not installed. */
export function makeTargets(text: string): string[] | undefined {
  if (makeFound === false) return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-make-'));
  try {
    writeFileSync(path.join(dir, 'Makefile'), text);
    // -q: a question, no recipe runs; the target `:` exists nowhere, so nothing is built either way.
    const run = spawnSync('make', ['-pRrq', '-f', 'Makefile', ':'], { cwd: dir, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      makeFound = false;
      return undefined;
    }
    makeFound = true;
    const lines = (run.stdout ?? '').split('\n');
    const start = lines.indexOf('# Files');
    const targets = new Set<string>();
    for (let i = start + 1; start >= 0 && i < lines.length && !lines[i]!.startsWith('# Finished Make data base'); i++) {
      const m = /^([^#%.\s][^:=]*?):(?:[^=]|$)/.exec(lines[i]!);
      if (m && lines[i - 1] !== '# Not a target:') targets.add(m[1]!.trim());
    }
    return [...targets].filter((t) => t !== 'Makefile').sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const MAKEFILE = /(?:^|\/)(?:(?:GNU)?[Mm]akefile|[^/]+\.mk)$/;

export function checkMakeTargets(before: Tree, after: Tree): Finding[] {
  const findings: Finding[] = [];
  for (const p of changedPaths(before, after).modified.filter((f) => MAKEFILE.test(f))) {
    const [was, now] = [makeTargets(before.get(p)!), makeTargets(after.get(p)!)];
    if (!was || !now || was.join(' ') === now.join(' ')) continue;
    const lost = was.filter((t) => !now.includes(t));
    const added = now.filter((t) => !was.includes(t));
    findings.push({ check: 'make-targets', path: p, message: `make reads other targets after the run: ${[lost.length && `lost ${lost.join(', ')}`, added.length && `new ${added.join(', ')}`].filter(Boolean).join('; ')}` });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Every requirement the run wrote into a pyproject.toml is valid PEP 508.

/** Every requirement string of a pyproject: dependencies, optional dependencies, groups, build requires. */
export function pyprojectRequirements(text: string): string[] {
  let doc: Record<string, any>;
  try {
    doc = parseToml(text) as Record<string, any>;
  } catch {
    return [];
  }
  const out: string[] = [];
  const add = (list: unknown) => {
    if (Array.isArray(list)) for (const item of list) if (typeof item === 'string') out.push(item);
  };
  add(doc.project?.dependencies);
  for (const list of Object.values(doc.project?.['optional-dependencies'] ?? {})) add(list);
  for (const list of Object.values(doc['dependency-groups'] ?? {})) add(list);
  add(doc['build-system']?.requires);
  return out;
}

export function checkRequirements(before: Tree, after: Tree, validate: RequirementValidator): Finding[] {
  const { modified, created } = changedPaths(before, after);
  const findings: Finding[] = [];
  for (const p of [...modified, ...created].filter((f) => path.posix.basename(f) === 'pyproject.toml')) {
    const old = new Set(pyprojectRequirements(before.get(p) ?? ''));
    const written = pyprojectRequirements(after.get(p)!).filter((r) => !old.has(r));
    validate(written).forEach((error, i) => {
      if (error) findings.push({ check: 'pep508', path: p, message: `${JSON.stringify(written[i])}: ${error}` });
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// A path the run deleted or renamed is not still named by a file that reads it.

/** Files whose mention of a path means they read it at build, CI or run time. */
export function isReader(file: string, text: string): boolean {
  const base = path.posix.basename(file);
  return (
    DOCKERFILE.test(file) ||
    /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file) ||
    /(^|\/)action\.ya?ml$/.test(file) ||
    /(^|\/)\.gitlab-ci\.ya?ml$/.test(file) ||
    file.startsWith('.circleci/') ||
    /^azure-pipelines.*\.ya?ml$/.test(base) ||
    /^\.?(readthedocs|travis)\.ya?ml$/.test(base) ||
    file.startsWith('binder/') ||
    base === '.pre-commit-config.yaml' ||
    base === 'tox.ini' ||
    /^(docker-)?compose[^/]*\.ya?ml$/.test(base) ||
    /^(GNU)?[Mm]akefile$/.test(base) ||
    base.endsWith('.mk') ||
    base.endsWith('.py') ||
    isShellScript(file, text)
  );
}

const COMMENT_LINE = /^\s*(#|\/\/)/;
const PATH_CHARS = /[\w./${}~+@-]/;

/** Every path-like token of a line that ends with `name`. */
function tokensEndingWith(line: string, name: string): string[] {
  const tokens: string[] = [];
  for (let at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
    const end = at + name.length;
    if (end < line.length && /[\w.-]/.test(line[end]) && !/^\.\s/.test(line.slice(end))) continue;
    let start = at;
    while (start > 0 && PATH_CHARS.test(line[start - 1])) start--;
    tokens.push(line.slice(start, end));
  }
  return tokens;
}

/** `a/b/c.yml` ends with `b/c.yml` at a component boundary. */
function pathEndsWith(full: string, tail: string): boolean {
  return full === tail || full.endsWith('/' + tail);
}

export function checkDangling(before: Tree, after: Tree): Finding[] {
  const { deleted } = changedPaths(before, after);
  if (deleted.length === 0) return [];
  const findings: Finding[] = [];
  const existing = [...after.keys()];
  for (const [file, text] of after) {
    if (!isReader(file, text)) continue;
    const lines = text.split(/\r?\n/);
    for (const gone of deleted) {
      const name = path.posix.basename(gone);
      if (!text.includes(name)) continue;
      lines.forEach((line, i) => {
        if (COMMENT_LINE.test(line) || !line.includes(name)) return;
        for (const token of tokensEndingWith(line, name)) {
          // The token's last components, with any ${VAR}/, ./ or / prefix dropped.
          const tail = token.replace(/^.*\}\/?/, '').replace(/^(\.\/|\/)+/, '').replace(/^\*+\//, '');
          if (!tail || !pathEndsWith(gone, tail)) continue;
          if (existing.some((p) => pathEndsWith(p, tail))) continue;
          findings.push({ check: 'dangling', path: file, line: i + 1, message: `names ${gone}, which the run deleted or renamed` });
          return;
        }
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// The outcome matches what a careful engineer decided (test/corpus/expectations/<name>.json).

const normal = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The distribution name a PEP 508 requirement names. */
export function requirementName(requirement: string): string {
  return normal(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement);
}

export function checkExpectation(before: Tree, after: Tree, run: RunJson, expected: Expectation): Finding[] {
  const findings: Finding[] = [];
  const add = (check: string, message: string, p?: string) => findings.push({ check: `expect:${check}`, path: p, message });
  const { modified, created, deleted } = changedPaths(before, after);
  const changed = new Set([...modified, ...created, ...deleted]);

  if (expected.kind === 'not-migratable' && changed.size > 0) {
    add('kind', `not migratable (${expected.kindWhy.split('.')[0]}), but the run changed ${changed.size} file(s): ${[...changed].slice(0, 5).join(', ')}`);
  }
  for (const env of expected.envFiles) {
    if (!before.has(env.path)) {
      add('env-file', `the expectation names ${env.path}, which is not in the repository`, env.path);
      continue;
    }
    const gone = !after.has(env.path);
    if (env.fate === 'deleted' && !gone) add('env-file', `should be migrated and deleted (${env.role}), but is still there`, env.path);
    if (env.fate === 'kept' && gone) add('env-file', `should be kept (${env.role}: ${env.why}), but the run deleted it`, env.path);
  }
  for (const p of expected.mustChange) {
    if (!before.has(p)) add('must-change', `the expectation names ${p}, which is not in the repository`, p);
    else if (!changed.has(p)) add('must-change', 'should change, but the run left it as it was', p);
  }
  if (expected.mustNotChange.length > 0) {
    const keep = picomatch(expected.mustNotChange, { dot: true });
    for (const p of changed) if (keep(p)) add('must-not-change', `should stay byte-identical, but the run ${after.has(p) ? (before.has(p) ? 'modified' : 'created') : 'deleted'} it`, p);
  }
  for (const p of expected.mustExist ?? []) if (!after.has(p)) add('must-exist', 'should exist after the run', p);

  const pyproject = expected.pyproject && after.get('pyproject.toml');
  if (expected.pyproject && pyproject !== undefined) {
    let doc: Record<string, any> = {};
    try {
      doc = parseToml(pyproject) as Record<string, any>;
    } catch {
      // checkParses reports it.
    }
    const project = doc.project ?? {};
    const { name, version, dependenciesInclude = [], dependenciesExclude = [] } = expected.pyproject;
    if (name && typeof project.name === 'string' && normal(project.name) !== normal(name)) {
      add('metadata', `[project].name is ${project.name}; the project's name is ${name}`, 'pyproject.toml');
    }
    if (version === 'dynamic' && project.version !== undefined) add('metadata', `a static version ${project.version} was written; the project's version is dynamic`, 'pyproject.toml');
    if (version && version !== 'dynamic' && project.version !== undefined && project.version !== version) {
      add('metadata', `[project].version is ${project.version}; the project's is ${version}`, 'pyproject.toml');
    }
    const names = new Set(pyprojectRequirements(pyproject).map(requirementName));
    for (const dep of dependenciesInclude) if (!names.has(normal(dep))) add('dependencies', `${dep} should be a dependency (or in a group), but is not`, 'pyproject.toml');
    for (const dep of dependenciesExclude) if (names.has(normal(dep))) add('dependencies', `${dep} is not a PyPI dependency of this project, but was written as one`, 'pyproject.toml');
  } else if (expected.pyproject && (expected.mustExist ?? []).includes('pyproject.toml') === false && expected.kind !== 'not-migratable') {
    add('must-exist', 'a pyproject.toml was expected', 'pyproject.toml');
  }

  // A follow-up may sit on the file it is about or on a line that names that file (a reader told why the
  // file it reads is kept); a refusal's one sentence stands for them all.
  const told = [...run.followUps, ...(run.plan?.refusal ? [{ path: '', message: run.plan.refusal }] : [])];
  for (const want of expected.followUps) {
    const re = new RegExp(want.about, 'i');
    const base = path.posix.basename(want.path);
    if (!told.some((f) => (f.path === want.path || f.message.includes(base)) && re.test(f.message))) {
      add('follow-up', `no follow-up about /${want.about}/ (${want.why})`, want.path);
    }
  }
  return findings;
}

/**
 * Everything the harness checks on one run, except the second run (which needs the disk). The run's own
 * verification step (runner/verify/) rejects a file as an error, which the first check here reports.
 */
export function judge(before: Tree, after: Tree, run: RunJson, expected: Expectation | undefined, validate: RequirementValidator): Finding[] {
  const findings = [
    // An error on a file that its own format's parser reads is the tool's failure, not the input's.
    ...run.files
      .filter((f) => f.status === 'error' && before.has(f.path) && !parseError(f.path, before.get(f.path)!))
      .map((f) => ({ check: 'error', path: f.path, message: f.message ?? 'error' })),
    ...checkParses(before, after),
    ...checkRequirements(before, after, validate),
    ...checkDangling(before, after),
    ...checkMakeTargets(before, after),
  ];
  // A run that changed nothing must say why: a stop's sentence, an error, or a follow-up.
  const { modified, created, deleted } = changedPaths(before, after);
  if (modified.length + created.length + deleted.length === 0 && !run.plan?.refusal && run.followUps.length === 0 && !run.files.some((f) => f.status === 'error')) {
    findings.push({ check: 'silent', message: 'the run changed nothing and said nothing about why' });
  }
  if (expected) findings.push(...checkExpectation(before, after, run, expected));
  else findings.push({ check: 'no-expectation', message: 'no expectation file: write test/corpus/expectations/<name>.json' });
  return findings;
}
