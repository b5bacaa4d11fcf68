// Exec-form argument lists (a Dockerfile's JSON array, a compose command list, a spawn's argv): what
// in them is conda's and which word is a shell script, read once; each host splices in its own syntax.
import { parseCondaRun, type CondaOption } from './commands.js';
import { shellScriptWord, SHELLS } from './rules/common.js';

export interface ExecForm {
  /** Index of the first word that stays: after `conda run [options]`, or 0 when the list is not `conda run`. */
  start: number;
  /** `conda run` with nothing to run: the list only ran conda. */
  onlyCondaRun: boolean;
  /** conda run's options (none when the list is not `conda run`); `covered`: uv run needs nothing in its place. */
  runOptions: (CondaOption & { covered: boolean })[];
  /** The index of SCRIPT in `bash [-flags] -c SCRIPT` (the command from `start`), to rewrite as a shell snippet. */
  script?: number;
}

/** Read an exec-form list; `undefined` words are not literal (built at run time). */
export function readExecForm(words: readonly (string | undefined)[]): ExecForm {
  const run = parseCondaRun(words);
  const start = run?.command ?? 0;
  const shell = words[start];
  const script = shell !== undefined && SHELLS.has(shell.slice(shell.lastIndexOf('/') + 1)) ? shellScriptWord(words, start) : undefined;
  return { start, onlyCondaRun: run !== undefined && start === words.length, runOptions: run?.options ?? [], script };
}
