// The final pass: what still mentions conda, or names a file this run deleted or renamed.
// It runs over every text file on every run, so a whole-text regex test comes before any per-line work.
import path from 'node:path';
import { CONDA_WORD } from '../codemods/lib/conda/vocabulary.js';
import { isHarmlessDoc } from '../codemods/lib/history.js';
import { andList } from '../codemods/lib/text.js';
import type { MigrationContext } from '../contract/context.js';
import { isDataFile, leftoverSeverity, notebookSourceLines } from './followups.js';
import type { FollowUp } from '../contract/types.js';
import type { MemoryFs } from './vfs.js';

/** A cheaper necessary condition for CONDA_WORD (most text has none of it). */
const CONDA_HINT = /onda|amba|forge/i;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A file name among `alternatives` (regex sources) as a whole token: not inside a longer name or path (`environment.yml.bak`). */
function fileNames(alternatives: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w.-])(?:${alternatives.join('|')})(?![\\w-]|\\.\\w)`, 'g');
}

/**
 * How a gone file is named in text: by its base name when no live file shares it (containers.json
 * says `linux_environment.yml`), else only by its repository path.
 */
function goneNames(fs: MemoryFs): Map<string, string> {
  const gone = [...fs.deleted, ...fs.renames.keys()];
  if (gone.length === 0) return new Map();
  const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const goneBases = new Set(gone.map(baseName));
  // Only the gone base names matter: a path's base name is cut out only when its length is one of theirs.
  const lengths = new Set([...goneBases].map((b) => b.length));
  const liveNames = new Set<string>();
  for (const p of fs.paths()) {
    if (!lengths.has(p.length - p.lastIndexOf('/') - 1)) continue;
    const base = baseName(p);
    if (goneBases.has(base)) liveNames.add(base);
  }
  const names = new Map<string, string>(); // name as written -> original path
  for (const original of gone) {
    const base = baseName(original);
    names.set(liveNames.has(base) ? original : base, original);
  }
  return names;
}

/** What a line naming gone files is told: renamed ones by their new name, deleted env files by where their content went. */
function goneMessage(named: readonly string[], names: ReadonlyMap<string, string>, fs: MemoryFs, envFiles: ReadonlySet<string>): string {
  const parts: string[] = [];
  const deletedEnvs: string[] = [];
  const deleted: string[] = [];
  for (const name of named) {
    const original = names.get(name)!;
    const to = fs.renames.get(original);
    if (to) parts.push(`names ${name}, renamed to ${to}`);
    else if (envFiles.has(original)) deletedEnvs.push(name);
    else deleted.push(name);
  }
  if (deletedEnvs.length > 0) {
    parts.push(`names ${andList(deletedEnvs)}, ${deletedEnvs.length === 1 ? 'a conda env file' : 'conda env files'} this migration deleted (the dependencies are now in pyproject.toml)`);
  }
  if (deleted.length > 0) parts.push(`names ${andList(deleted)}, which this migration deleted`);
  return parts.join('; ');
}

/** One message per severity, so that a file's lines fold into one follow-up each (runner/followups.ts). */
const LEFTOVER_MESSAGE = {
  blocks: 'still runs or points at conda: migrate these lines to uv by hand',
  action: 'still tells the reader to run conda: give the uv commands',
  info: 'still mentions conda: reword it for uv where it matters',
} as const;

/**
 * Follow-ups for every line that still mentions conda or names a deleted/renamed file. A line some
 * codemod already reported is not reported again; conda env files that stay (kept, or not migratable)
 * are reported by the env codemod, not line by line here. `paths`: the files to read (the pre-filter's
 * short list leaves out those that cannot hold a finding).
 */
export function findLeftovers(fs: MemoryFs, ctx: MigrationContext, already: readonly FollowUp[] = [], paths: readonly string[] = fs.paths()): FollowUp[] {
  if (!ctx.migrating) return [];
  const reported = new Set(already.map((f) => `${f.path}:${f.line ?? ''}`));
  const envFiles = new Set(ctx.conda.envFiles.map((e) => e.path));
  const names = goneNames(fs);
  // A name may be written as a regex with escaped dots (a pre-commit `exclude: ^linux_environment\.yml$`).
  const alternatives = [...names.keys()].sort((a, b) => b.length - a.length).map((n) => escapeRegExp(n).replace(/\\\./g, '\\\\?\\.'));
  const goneRe = names.size > 0 ? fileNames(alternatives) : undefined;
  // Every gone name holds its stem (`linux_environment` of `linux_environment.yml`), even regex-escaped.
  const stems = [...names.keys()].map((name) => path.posix.basename(name).replace(/\.[^.]*$/, '') || name);
  // A live file's name holds no conda (a kept scripts/conda-install.sh): a line is judged without it.
  let liveNames: RegExp | null | undefined;
  const withoutLiveNames = (line: string) => {
    if (liveNames === undefined) {
      const named = [...new Set(fs.paths().filter((p) => CONDA_HINT.test(p)).map((p) => path.posix.basename(p)))].filter((b) => CONDA_WORD.test(b));
      liveNames = named.length > 0 ? fileNames(named.map(escapeRegExp)) : null;
    }
    return liveNames ? line.replace(liveNames, '') : line;
  };
  const followUps: FollowUp[] = [];
  for (const file of paths) {
    if (envFiles.has(file)) continue;
    const text = fs.read(file);
    if (text === undefined) continue;
    const hinted = (CONDA_HINT.test(text) && CONDA_WORD.test(text)) || (stems.some((stem) => text.includes(stem)) && text.search(goneRe!) !== -1);
    if (!hinted) continue;
    if (isHarmlessDoc(file, text) || isDataFile(file, text)) continue;
    // A notebook's outputs are what ran once, not instructions: only its cells' source counts.
    const code = file.endsWith('.ipynb') ? notebookSourceLines(text) : undefined;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (reported.has(`${file}:${i + 1}`) || (code && !code.has(i + 1))) return;
      // A gone file's name says more than the conda word it may contain (conda-install.sh).
      const named = goneRe ? [...new Set(Array.from(line.matchAll(goneRe), (m) => m[0].replace(/\\/g, '')))] : [];
      let message: string;
      const severity = leftoverSeverity(file, line, named.length > 0);
      if (named.length > 0) message = goneMessage(named, names, fs, envFiles);
      else if (!CONDA_WORD.test(line) || !CONDA_WORD.test(withoutLiveNames(line))) return;
      else message = LEFTOVER_MESSAGE[severity];
      followUps.push({ path: file, line: i + 1, message, codemod: 'leftovers', severity });
    });
  }
  return followUps;
}
