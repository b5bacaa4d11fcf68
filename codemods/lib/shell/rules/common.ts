// Small helpers several rule families share.
import type { ShNode } from '../parser.js';
import type { RuleContext } from './context.js';

export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

/** A path that only exists in a conda install. */
export const CONDA_PATH = /\/(?:opt\/conda|miniconda3?|miniforge3?|mambaforge|micromamba)\b|\/envs\/[\w.-]+\/bin\b/i;

/** The project (folder) whose env a conda env name or env file is, in a repository of several. */
export function projectOf(r: RuleContext, env: string | true | undefined): string | undefined {
  return typeof env === 'string' ? r.options.projects?.get(env.replace(/^\.\//, '')) : undefined;
}

/** `uv SUB`, for the activated env's project when it is one of several (`uv run --project app`). */
export function uv(r: RuleContext, sub: string, project = r.scope.project): string {
  return project ? `uv ${sub} --project ${project}` : `uv ${sub}`;
}

export function syncCommand(r: RuleContext): string {
  const sync = r.options.host.sync;
  return r.scope.project ? `${sync} --project ${r.scope.project}` : sync;
}

/** An env the migration keeps on conda (an R env, say): its activation and `conda run` stay, with a note. */
export function keptEnv(r: RuleContext, name: string | undefined, at: ShNode): boolean {
  const kept = name !== undefined && (r.options.ctx?.conda.envFiles ?? []).some((e) => e.name === name && e.role === 'unmigratable');
  if (kept) r.note(at, `the conda env ${name} is not migrated to uv: left as is`);
  return kept;
}

/** Index of the script word of `bash [-flags] -c SCRIPT`, or undefined. */
export function shellScriptWord(texts: readonly (string | undefined)[], shellAt: number): number | undefined {
  for (let i = shellAt + 1; i < texts.length; i++) {
    const t = texts[i];
    if (t === undefined || !t.startsWith('-')) return undefined;
    if (/^-[a-z]*c[a-z]*$/.test(t)) return i + 1 < texts.length ? i + 1 : undefined;
  }
  return undefined;
}

/** Remove a word and the spaces after it. */
export function removeWord(r: RuleContext, word: ShNode): void {
  const spaces = /^[ \t]*/.exec(r.src.slice(r.end(word)))![0].length;
  r.replace(r.pos(word), r.end(word) + spaces, '');
}
