// Creating, updating, removing and exporting the env: `conda env create -f F` -> `uv sync`, `conda env export` -> `uv lock`.
import { hasOption, type ParsedConda } from '../commands.js';
import { unquoted, type ShNode } from '../parser.js';
import { projectOf, syncCommand } from './common.js';
import type { Command, RuleContext } from './context.js';

/** The sync command for the env a command names, in a repository of several: by its file (`-f app/environment.yml`) or its name. */
export function syncFor(r: RuleContext, parsed: ParsedConda): string {
  const named = projectOf(r, parsed.options.get('-f') ?? parsed.options.get('--file')) ?? projectOf(r, parsed.options.get('-n') ?? parsed.options.get('--name'));
  return named ? `${syncCommand(r)} --project ${named}` : syncCommand(r);
}

/** `conda env create|update`, `conda create -f F`: the env from its file is `uv sync`. Undefined for `conda create PKG...`. */
export function createOrUpdate(r: RuleContext, { call, args }: Command, parsed: ParsedConda): boolean | undefined {
  if (parsed.sub[0] === 'create' && !hasOption(parsed, '-f', '--file')) return undefined;
  r.replace(r.pos(args[0]), r.end(call), syncFor(r, parsed));
  return false;
}

/** `conda env remove`, `conda remove --all`: the venv goes. */
export function removeEnv(r: RuleContext, { call, args }: Command): boolean {
  r.replace(r.pos(args[0]), r.end(call), 'rm -rf .venv');
  return false;
}

/** `conda env export > F` / `conda list --export > F` -> `uv lock`, or `uv export` into a requirements file. */
export function exportTo(r: RuleContext, { stmt, args }: Command): boolean {
  const out = (stmt.Redirs as ShNode[]).find((redirect) => r.src[r.index(redirect.OpPos)] === '>');
  const target = out ? unquoted(out.Word) : undefined;
  const text = target && /\.txt$/.test(target) ? `uv export --format requirements-txt -o ${r.raw(out.Word)}` : 'uv lock';
  r.replace(r.pos(args[0]), r.cutEnd(stmt), text);
  return false;
}
