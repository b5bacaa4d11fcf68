// `conda run -n X [--no-capture-output] CMD...` -> `uv run CMD...` (uv-run) or `CMD...` (venv on PATH).
import { uncoveredRunOptions, type ParsedConda } from '../commands.js';
import { unquoted } from '../parser.js';
import { keptEnv, projectOf, shellScriptWord, SHELLS, uv } from './common.js';
import type { Command, RuleContext } from './context.js';
import { pip, pipCommand, setupPy } from './pip.js';

export function condaRun(r: RuleContext, { call, args }: Command, parsed: ParsedConda): boolean {
  const first = parsed.positionals[0];
  if (!first) {
    r.note(args[0], '`conda run` without a command: left as is');
    return false;
  }
  const name = parsed.options.get('-n') ?? parsed.options.get('--name');
  if (typeof name === 'string' && keptEnv(r, name, args[0])) return false;
  const project = projectOf(r, name);
  // `conda run -n x pip install -e .` is pip in the env: the pip rules decide (`uv sync`, `uv add`...).
  const command = args.slice(first.index).map((a) => unquoted(a));
  const pipAt = pipCommand(command);
  const done = r.isolated(() => {
    r.scope.project = project;
    return pipAt >= 0 ? pip(r, call, args.slice(first.index), command, pipAt) : setupPy(r, call, args.slice(first.index), command);
  });
  if (done === 'remove') return true;
  if (done) {
    r.replace(r.pos(args[0]), r.pos(args[first.index]), '');
    return false;
  }
  const lost = uncoveredRunOptions(parsed);
  if (lost.length > 0) r.note(args[0], `\`conda run ${lost.join(' ')}\`: uv run has no such option, so it was dropped: check the command still runs where and how it did`);
  const runs = r.options.host.reach === 'uv-run' && r.scope.prefix;
  const lastOption = r.end(args[first.index - 1]);
  if (r.src.slice(lastOption, r.pos(args[first.index])).includes('\n')) {
    // `conda run -n x \` + newline + `  CMD`: keep the continuation and the command's line.
    const spaces = runs ? 0 : /^[ \t]*/.exec(r.src.slice(lastOption))![0].length;
    r.replace(r.pos(args[0]), lastOption + spaces, runs ? uv(r, 'run', project) : '');
  } else {
    r.replace(r.pos(args[0]), r.pos(args[first.index]), runs ? `${uv(r, 'run', project)} ` : '');
  }
  // The command runs in the env: `bash -c '...'` inside is rewritten as already activated, without `uv run`.
  const rest = args.slice(first.index);
  const texts = rest.map((a) => unquoted(a));
  const script = SHELLS.has(texts[0] ?? '') ? shellScriptWord(texts, 0) : undefined;
  r.isolated(() => {
    r.scope = { activated: true, prefix: false };
    if (script !== undefined) r.nested(rest[script]);
    r.scanAll(rest.filter((_, i) => i !== script));
  });
  return false;
}
