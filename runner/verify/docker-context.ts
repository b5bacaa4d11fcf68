// A Dockerfile's build context, checked against the migrated tree: every COPY/ADD source exists (a
// glob that matches nothing counts as missing), is not ignored by git (a clean checkout never has it)
// nor excluded by .dockerignore; every --from= names an earlier stage or an image; no line uses a conda
// prefix path or a deleted file; a stage that runs uv has it. Independent of the Dockerfile codemod.
import { DOCKERFILE_NAME } from '../../codemods/lib/dockerfiles.js';
import { remembered } from '../../codemods/lib/memo.js';
import { createRequire } from 'node:module';
import { CONDA_PREFIX_PATH, folderOf, type Problem, type Tree } from './tree.js';
import { INSTALLS_UV, RUNS_UV } from './workflow.js';

let picomatchLib: typeof import('picomatch') | undefined;
const picomatch = () => (picomatchLib ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch'));

export const DOCKERFILE = DOCKERFILE_NAME;

interface Instruction {
  keyword: string;
  /** The arguments, continuation lines joined. */
  args: string;
  line: number;
  /** The raw first line, for messages that compare across runs. */
  text: string;
}

/** What instructions() found per text, a bounded number of texts (a long-lived process runs many times). */
const instructionsByText = new Map<string, readonly Instruction[]>();
const REMEMBERED_TEXTS = 512;

/**
 * The instructions of a Dockerfile: comments dropped, `\` continuations joined, heredoc bodies skipped.
 * Remembered per text: the verification step and `check` ask again for each written Dockerfile (its
 * parse check, its COPY sources for git, its context rules). Never changed by a caller.
 */
export function instructions(text: string): readonly Instruction[] {
  return remembered(instructionsByText, text, REMEMBERED_TEXTS, () => readInstructions(text));
}

function readInstructions(text: string): Instruction[] {
  const lines = text.split('\n');
  const out: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    const m = /^\s*([A-Za-z]+)(?:\s+|$)(.*)$/.exec(first);
    if (!m || /^\s*#/.test(first)) continue;
    let args = m[2]!;
    const start = i;
    while (/\\\s*$/.test(args) && i + 1 < lines.length) {
      i++;
      if (/^\s*(?:#|$)/.test(lines[i]!)) continue; // Docker drops comment and empty lines inside a continuation
      args = args.replace(/\\\s*$/, ' ') + lines[i]!;
    }
    const heredoc = /<<-?\s*["']?([A-Za-z_]\w*)["']?/.exec(args); // a name, not a shift (`$((1<<2))`)
    if (heredoc) while (i + 1 < lines.length && lines[i + 1]!.trim() !== heredoc[1]) i++;
    if (heredoc) i++;
    out.push({ keyword: m[1]!.toUpperCase(), args: args.trim(), line: start + 1, text: first.trim() });
  }
  return out;
}

/** COPY/ADD: flags, sources and destination (exec or shell form). */
function copyParts(args: string): { flags: Map<string, string>; sources: string[] } | undefined {
  const flags = new Map<string, string>();
  let rest = args;
  for (let m = /^--([\w-]+)(?:=(\S*))?\s+/.exec(rest); m; m = /^--([\w-]+)(?:=(\S*))?\s+/.exec(rest)) {
    flags.set(m[1]!, m[2] ?? '');
    rest = rest.slice(m[0].length);
  }
  if (rest.includes('<<')) return undefined; // a heredoc's content is written, not copied
  let words: string[];
  if (rest.startsWith('[')) {
    try {
      words = JSON.parse(rest) as string[];
    } catch {
      return undefined;
    }
  } else {
    words = rest.split(/\s+/).filter(Boolean);
  }
  return words.length >= 2 ? { flags, sources: words.slice(0, -1) } : undefined;
}

const GLOB = /[*?[\]]/;

/** Docker's .dockerignore: last matching pattern wins, `!` re-includes, a folder's pattern covers its files. */
function dockerignoreMatcher(text: string | undefined): (path: string) => boolean {
  if (!text) return () => false;
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const pattern = (negated ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
      return { negated, test: picomatch()(pattern || '.', { dot: true }) };
    });
  return (path) => {
    const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.test(p))) excluded = !rule.negated;
    return excluded;
  };
}

/** The paths under `prefix`: a run of the sorted paths, found by binary search (a scan of every path per source was quadratic). */
function withPrefix(tree: Tree, prefix: string): string[] {
  const paths = tree.paths();
  let lo = 0;
  let hi = paths.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paths[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < paths.length && paths[i]!.startsWith(prefix); i++) found.push(paths[i]!);
  return found;
}

/** The context-relative files a source names in `tree` (several for a glob or a folder), in `context`. */
function filesOf(tree: Tree, context: string, source: string): string[] {
  const rel = source.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (rel === '' || rel === '.') return ['.'];
  const full = context + rel;
  if (GLOB.test(rel)) {
    const test = picomatch()(full, { dot: true });
    return withPrefix(tree, context).filter((p) => test(p));
  }
  if (tree.exists(full)) return [full];
  return withPrefix(tree, `${full}/`);
}

export interface ContextFacts {
  /** Repository paths that git ignores (asked by the caller). */
  ignored: ReadonlySet<string>;
  /** Whether to report each line that uses a conda prefix path (`check` reports every conda line itself). */
  condaLines?: boolean;
  /** Repository paths the run deleted or renamed away. */
  gone: ReadonlySet<string>;
  /**
   * Whether a missing pyproject.toml or uv.lock is expected: a migration writes the one (a single
   * codemod's run assumes it) and `uv lock` the other (the run's follow-up says so).
   */
  migrationPending?: boolean;
}

/** The literal COPY/ADD sources of a Dockerfile as repository paths, in each possible context: what to ask git about. */
export function sourceCandidates(path: string, text: string): string[] {
  const out: string[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    const parts = copyParts(ins.args);
    if (!parts || parts.flags.has('from')) continue;
    for (const s of parts.sources) {
      const rel = s.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
      if (rel && rel !== '.' && !GLOB.test(rel) && !rel.includes('$') && !/^\w+:\/\//.test(rel)) for (const c of new Set([folderOf(path), ''])) out.push(c + rel);
    }
  }
  return out;
}

const matchersByTree = new WeakMap<Tree, Map<string | undefined, (path: string) => boolean>>();

/** The build-context problems of one Dockerfile in `tree`. */
export function dockerContextProblems(path: string, text: string, tree: Tree, facts: ContextFacts): Problem[] {
  const problems: Problem[] = [];
  const contexts = [...new Set([folderOf(path), ''])];
  // A context's .dockerignore, read when a source is found there (one matcher per text for the tree).
  let matchers = matchersByTree.get(tree);
  if (!matchers) matchersByTree.set(tree, (matchers = new Map()));
  const ignoreOf = (c: string) => {
    const text = tree.read(`${c}.dockerignore`) ?? tree.read(`${path}.dockerignore`);
    let matcher = matchers.get(text);
    if (!matcher) matchers.set(text, (matcher = dockerignoreMatcher(text)));
    return matcher;
  };
  const goneBases = [...new Map([...facts.gone].map((g) => [g.slice(g.lastIndexOf('/') + 1), g]))].map(([base, gone]) => ({
    gone,
    named: new RegExp(`(?<![\\w.-])${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`),
  }));
  const all = instructions(text);
  const stageNames = all.filter((i) => i.keyword === 'FROM').map((i) => /\s+AS\s+(\S+)/i.exec(i.args)?.[1]?.toLowerCase());
  const stages: { name?: string; uv: boolean }[] = [];
  for (const ins of all) {
    const add = (message: string, col = 1) => problems.push({ line: ins.line, col, message });
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(ins.args);
      const image = m?.[1] ?? '';
      const parent = stages.find((s) => s.name === image.toLowerCase());
      stages.push({ ...(m?.[2] ? { name: m[2].toLowerCase() } : {}), uv: parent ? parent.uv : /(?:^|\/)uv(?::|$)|astral-sh\/uv/.test(image) });
    }
    const stage = stages.at(-1);
    if (facts.condaLines !== false && CONDA_PREFIX_PATH.test(ins.args)) add(`uses a conda prefix path: ${ins.text}`, ins.text.search(CONDA_PREFIX_PATH) + 1);
    for (const { gone, named } of goneBases) if (named.test(ins.args)) add(`names ${gone}, which the run deleted: ${ins.text}`);
    if ((ins.keyword === 'RUN' || ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && stage) {
      const command = ins.args.startsWith('[') ? ins.args.replace(/[[\]",]/g, ' ') : ins.args;
      if (INSTALLS_UV.test(command)) stage.uv = true;
      else if (!stage.uv && RUNS_UV.test(` ${command}`)) {
        add(`runs uv in a stage that does not install it (COPY --from=ghcr.io/astral-sh/uv, or an image with uv): ${ins.text}`);
        stage.uv = true; // one report a stage
      }
    }
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    const parts = copyParts(ins.args);
    if (!parts) continue;
    const from = parts.flags.get('from');
    if (from !== undefined) {
      if (from && stage && /(?:^|\/)uv(?::|@|$)|astral-sh\/uv/.test(from)) stage.uv = true;
      const index = stages.length - 1;
      const later = /^\d+$/.test(from) ? Number(from) >= index : stageNames.slice(index).includes(from.toLowerCase());
      if (later && !stageNames.slice(0, index).includes(from.toLowerCase())) add(`--from=${from} names no earlier stage`);
      continue;
    }
    for (const source of parts.sources) {
      if (source.includes('$') || /^\w+:\/\//.test(source) || source.startsWith('git@')) continue;
      const found = contexts.map((c) => ({ c, files: filesOf(tree, c, source) })).find((f) => f.files.length > 0);
      const rel = source.replace(/^\.\//, '').replace(/^\/+/, '');
      if (!found) {
        if (facts.migrationPending && /(?:^|\/)(?:uv\.lock|pyproject\.toml)$/.test(rel)) continue;
        const ignored = contexts.map((c) => c + rel).find((p) => facts.ignored.has(p));
        if (ignored) add(`${ins.keyword} ${source}: ${ignored} is ignored by git, so a build from a clean checkout does not have it`);
        else add(`${ins.keyword} ${source}: ${GLOB.test(source) ? 'matches no file' : 'no such file'} in the build context`);
        continue;
      }
      if (found.files[0] === '.') continue;
      const ignoredByGit = found.files.filter((f) => facts.ignored.has(f));
      if (ignoredByGit.length > 0 && ignoredByGit.length === found.files.length) {
        add(`${ins.keyword} ${source}: ${ignoredByGit[0]} is ignored by git, so a build from a clean checkout does not have it`);
        continue;
      }
      const excluded = ignoreOf(found.c);
      if (found.files.every((f) => excluded(f.slice(found.c.length)))) add(`${ins.keyword} ${source}: excluded from the build context by .dockerignore`);
    }
  }
  return problems;
}
