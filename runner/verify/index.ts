// The verification step: every file the run would write is parsed again with its own format's parser,
// then checked with its ecosystem's rules (workflow.ts, pyproject.ts, shell.ts, docker-context.ts),
// before anything is written. A file that fails is put back as it was and reported with path:line:col;
// the plan then keeps any env file the put-back file still reads. Each rule's module loads its
// validator on the first file of its kind.
import { createRequire } from 'node:module';
import { lineColAt } from '../../codemods/lib/text.js';
import { parseShell, ShellParseError } from '../../codemods/lib/shell/parser.js';
import { ignoredByGitLater, type IgnoredBy } from '../git.js';
import type { Change, MemoryFs } from '../vfs.js';
import { DOCKERFILE, dockerContextProblems, instructions, sourceCandidates } from './docker-context.js';
import { declaredGroups, pyprojectProblems } from './pyproject.js';
import { newShellcheckFindings, shellcheckEach, startShellcheck, unassignedReads } from './shell.js';
import { newProblems, treeBefore, unignoredByRun, type Problem, type Tree } from './tree.js';
import { droppedPythonMatrix, jobsIn, knownDocuments, schemaProblems, uvNotInstalled, undeclaredGroups, WORKFLOW } from './workflow.js';

// The parsers load on the first file of their format (the build turns these into lazy bundled requires).
let yamlLib: typeof import('yaml') | undefined;
let tomlLib: typeof import('smol-toml') | undefined;

export interface VerifyProblem extends Problem {
  path: string;
  /** A rule of the file's ecosystem failed (it parses); false: it does not parse. */
  rule: boolean;
}

type Check = (text: string) => { line: number; col: number; message: string } | undefined;

function yamlDocuments(text: string) {
  const { parseAllDocuments } = (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
  return parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
}

function yamlProblem(docs: ReturnType<typeof yamlDocuments>, text: string): ReturnType<Check> {
  for (const doc of docs) {
    const error = 'errors' in doc ? doc.errors[0] : undefined;
    if (error) return { ...lineColAt(text, error.pos[0]), message: error.message.split('\n')[0]! };
  }
  return undefined;
}

const yamlCheck: Check = (text) => yamlProblem(yamlDocuments(text), text);

/** yamlCheck for a workflow of `fs`, which also gives the workflow rules (jobsIn) its document. */
const workflowCheck =
  (fs: MemoryFs): Check =>
  (text) => {
    const docs = yamlDocuments(text);
    knownDocuments(fs, text, docs);
    return yamlProblem(docs, text);
  };

const tomlCheck: Check = (text) => {
  const { parse } = (tomlLib ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml'));
  try {
    parse(text);
    return undefined;
  } catch (error) {
    const e = error as { line?: number; column?: number; message: string };
    return { line: e.line ?? 1, col: e.column ?? 1, message: e.message.split('\n')[0]! };
  }
};

const jsonCheck: Check = (text) => {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return undefined;
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    return { ...lineColAt(text, at ? Number(at[1]) : 0), message: (error as Error).message };
  }
};

const shellCheck: Check = (text) => {
  try {
    parseShell(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof ShellParseError)) throw error;
    return { line: error.line, col: error.col, message: error.message };
  }
};

const INSTRUCTIONS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

/**
 * Every instruction is one Docker knows; an exec form (`CMD ["a", "b"]`) is a JSON array of strings (a
 * shell form may start with `[[ ` or `[ `); a shell-form RUN parses as shell while the stage's shell is
 * the default one (heredoc RUNs aside).
 */
const dockerfileCheck: Check = (text) => {
  const lines = text.split('\n');
  let posixShell = true;
  for (const { keyword, args, line } of instructions(text)) {
    const at = (message: string, col = lines[line - 1]!.search(/\S/) + 1) => ({ line, col, message });
    if (!INSTRUCTIONS.has(keyword)) return at(`${keyword}: not a Dockerfile instruction`);
    if (keyword === 'FROM') posixShell = true;
    if (!/^(?:RUN|CMD|ENTRYPOINT|SHELL|VOLUME)$/.test(keyword)) continue;
    const body = args.replace(/^(?:--\S+\s+)*/, '');
    if (/^\[(?!\[?\s)/.test(body)) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        // reported below
      }
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return at(`${keyword}: an exec form must be a JSON array of strings`, lines[line - 1]!.indexOf('[') + 1);
      if (keyword === 'SHELL') posixShell = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da)?sh$/.test(String(value[0]));
      continue;
    }
    if (keyword !== 'RUN' || !posixShell || /<<-?\s*["']?[A-Za-z_]/.test(body)) continue; // a heredoc's body is not in `args`
    try {
      parseShell(body);
    } catch (error) {
      if (!(error instanceof ShellParseError)) throw error;
      return at(`RUN: ${error.message}`);
    }
  }
  return undefined;
};

/** The parse check for a path and its text, or undefined for formats the step does not parse. */
function checkFor(path: string, text: string): Check | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/\.ya?ml$/i.test(base)) return yamlCheck;
  if (/\.toml$/i.test(base)) return tomlCheck;
  if (/\.json$/i.test(base)) return jsonCheck;
  if (DOCKERFILE.test(path)) return dockerfileCheck;
  if (isShell(path, text)) return shellCheck;
  return undefined;
}

function isShell(path: string, text: string): boolean {
  return /\.(?:sh|bash)$/.test(path) || /^#!\s*(?:\S*\/)?(?:env\s+)?(?:ba)?sh\b/.test(text);
}

/** Where the run happens: the repository folder, and whether git can be asked about it. */
export interface VerifyTarget {
  dir: string;
  inGit: boolean;
  /** git's ignore rules, asked already (check's early start): else the step asks git itself. */
  ignoredByGit?: (paths: readonly string[]) => Promise<Map<string, IgnoredBy>>;
}

/**
 * The rules of a file's own ecosystem beyond parsing, on the text after the run; only problems the
 * text before the run did not have count (a file that was already wrong is not the run's to fail).
 */
async function ruleProblems(change: Change, fs: MemoryFs, before: Tree, ignoring: Promise<ReadonlySet<string>>): Promise<Problem[]> {
  const { path, after } = change;
  const old = change.kind === 'created' ? '' : change.before;
  /** The rules' problems on the text after the run, less those the text before had (asked only when needed). */
  const made = async (rules: (text: string, tree: Tree, now: boolean) => Problem[] | Promise<Problem[]>) => {
    const found = await rules(after, fs, true);
    return found.length === 0 || !old ? found : newProblems(found, await rules(old, before, false));
  };
  if (path.endsWith('pyproject.toml')) return made((text) => pyprojectProblems(text));
  if (WORKFLOW.test(path)) {
    const jobsOf = jobsIn(fs);
    const rules = async (text: string, tree: Tree) => {
      const jobs = jobsOf(text);
      const pyproject = tree.read('pyproject.toml');
      return [...(await schemaProblems(path, text)), ...uvNotInstalled(text, jobs), ...undeclaredGroups(text, jobs, pyproject === undefined ? undefined : declaredGroups(pyproject))];
    };
    // A job's use of its matrix reads `matrix.<key>`: an input without one had no matrix to drop.
    return [...(await made(rules)), ...(old.includes('matrix.') ? droppedPythonMatrix(jobsOf(old), after, jobsOf(after)) : [])];
  }
  if (DOCKERFILE.test(path)) {
    const ignored = await ignoring;
    const gone = new Set([...fs.deleted, ...fs.renames.keys()]);
    return made((text, tree, now) => dockerContextProblems(path, text, tree, now ? { ignored, gone, migrationPending: true } : { ignored: new Set(), gone: new Set(), migrationPending: true }));
  }
  if (isShell(path, after)) return unassignedReads(old, after); // shellcheck: for every script at once, below
  return [];
}

/**
 * Starts shellcheck on the scripts `fs` holds written now, in a process beside the run's other work (the
 * pipeline calls it after each codemod): verifyWrites takes the findings of those texts still written then.
 */
export function startShellchecks(fs: MemoryFs): void {
  startShellcheck(fs, fs.changes().flatMap((c) => (c.kind !== 'deleted' && isShell(c.path, c.after) ? [c.after] : [])));
}

/** Every written file that would not parse again, or breaks a rule of its ecosystem that it kept before. */
export async function verifyWrites(fs: MemoryFs, target?: VerifyTarget): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const written = fs.changes().filter((c) => c.kind !== 'deleted');
  // shellcheck reads every written script (those startShellchecks did not start on, at once), in a
  // process that runs beside the rules below; only the scripts that pass them take its findings.
  const shellWritten = written.filter((c) => isShell(c.path, c.after));
  const shellcheckingAfter = shellcheckEach(fs, shellWritten.map((c) => c.after));
  shellcheckingAfter.catch(() => {}); // awaited below, where a failure is thrown as before
  const before = treeBefore(fs);
  // Git is asked once, about the files the run created that a written Dockerfile copies.
  const created = new Set(written.filter((c) => c.kind === 'created').map((c) => c.path));
  const copied = written.filter((c) => DOCKERFILE.test(c.path)).flatMap((c) => sourceCandidates(c.path, c.after).filter((p) => created.has(p)));
  // git answers beside the rules; the first Dockerfile's rules wait for it.
  const asking = target?.inGit && copied.length > 0 ? (target.ignoredByGit ?? ignoredByGitLater(target.dir, [...new Set(copied)])) : undefined;
  const ignoring = (async () => {
    const ignored = new Set<string>();
    if (asking) for (const [path, by] of await asking([...new Set(copied)])) if (!unignoredByRun(fs, path, by)) ignored.add(path);
    return ignored;
  })();
  ignoring.catch(() => {}); // awaited below, where a failure is thrown as before
  const scripts: Change[] = [];
  for (const change of written) {
    const check = WORKFLOW.test(change.path) ? workflowCheck(fs) : checkFor(change.path, change.after);
    // A file that did not parse before the run is not the run's to fail (its codemod left it or said so).
    const problem = check?.(change.after);
    if (problem) {
      if (change.kind === 'created' || !check!(change.before)) problems.push({ path: change.path, ...problem, rule: false });
      continue;
    }
    const broken = (await ruleProblems(change, fs, before, ignoring))[0];
    if (broken) problems.push({ path: change.path, ...broken, rule: true });
    else if (isShell(change.path, change.after)) scripts.push(change);
  }
  await ignoring;
  const checkedAfter = await shellcheckingAfter;
  const findings = await newShellcheckFindings(
    scripts.map((c) => ({ before: c.kind === 'created' ? '' : c.before, after: c.after })),
    checkedAfter && scripts.map((c) => checkedAfter[shellWritten.indexOf(c)]!),
  );
  scripts.forEach((c, i) => {
    const first = findings[i]![0];
    if (first) problems.push({ path: c.path, ...first, rule: true });
  });
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
