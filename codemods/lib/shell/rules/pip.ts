// pip in the activated env, `python setup.py develop`, and what installing the project itself becomes.
import type { ShNode } from '../parser.js';
import { removeWord, syncCommand, uv } from './common.js';
import type { CommandRule, RuleContext } from './context.js';

/**
 * Where pip's own arguments start in `words`: 0 for `pip`/`pip3`, 2 for `python -m pip`; -1 when the
 * command is not pip.
 */
export function pipCommand(words: readonly (string | undefined)[]): number {
  const command = words[0] ?? '';
  if (/^pip3?$/.test(command)) return 0;
  return /^python[\d.]*$/.test(command) && words[1] === '-m' && words[2] === 'pip' ? 2 : -1;
}

/**
 * The project itself into the env: `uv sync` for a package (uv installs it, editable); for what the plan
 * calls an application (uv sync does not install it) `uv pip install`.
 */
export function installSelf(r: RuleContext, editable: boolean): string {
  // After `cd vendor/lib`, `.` is another package: it goes into the venv as it is.
  if (r.cwdDepth !== 0) return editable ? 'uv pip install -e .' : 'uv pip install .';
  if (r.options.ctx?.plan?.kind !== 'application') return syncCommand(r);
  return editable ? 'uv pip install -e .' : 'uv pip install .';
}

/**
 * pip in the activated env (`pip ...` or `python -m pip ...`; `pip` is the index of the word pip):
 * `install -e .` and `install -r F` (F, repository-relative, merged into pyproject) install the project
 * (installSelf); packages where the host adds them -> `uv add`; any other install -> `uv pip install`,
 * into the active venv (a uv venv has no pip), without pip itself; `list`/`freeze`/`show`/`check` ->
 * `uv pip ...`. Returns 'remove' when nothing is left to install, false when no rule fits.
 */
export function pip(r: RuleContext, call: ShNode, args: ShNode[], texts: (string | undefined)[], pip: number): boolean | 'remove' {
  const sub = texts[pip + 1];
  const uvPip = () => r.replace(r.pos(args[0]), r.end(args[pip]), 'uv pip');
  if (sub === 'list' || sub === 'freeze' || sub === 'show' || sub === 'check') {
    uvPip();
    return true;
  }
  if (sub !== 'install') return false;
  const all = texts.slice(pip + 2);
  // Flags that change nothing about what a self-install means (`pip install --no-deps -e .`).
  const rest = all.filter((t) => !/^(?:--no-deps|--no-build-isolation|-q+|-v+|--quiet|--verbose)$/.test(t ?? ''));
  const merged = (r.options.ctx?.conda.dependencies ?? []).flatMap((d) => d.sources);
  const isSelf = (t: string | undefined) => t === '.' || t === './';
  const editableSelf = rest.length === 2 && (rest[0] === '-e' || rest[0] === '--editable') && isSelf(rest[1]);
  const file = rest[1]?.replace(/^\.\//, '');
  const mergedRequirements =
    rest.length === 2 && (rest[0] === '-r' || rest[0] === '--requirement') && file !== undefined && merged.includes(file);
  if (editableSelf || (rest.length === 1 && isSelf(rest[0])) || mergedRequirements) {
    r.replace(r.pos(args[0]), r.end(call), mergedRequirements ? syncCommand(r) : installSelf(r, editableSelf));
    return true;
  }
  const packages = rest.length > 0 && rest.every((t) => t !== undefined && !t.startsWith('-'));
  if (r.options.host.addPackages && packages) {
    r.replace(r.pos(args[0]), r.end(call), `${uv(r, 'add')} ${rest.join(' ')}`);
    return true;
  }
  if (r.options.host.pipInstall === 'note') return false;
  // `pip install -U pip`: pip is not in a uv venv, and uv needs none.
  const words = args.slice(pip + 2);
  const pipItself = words.filter((_, i) => /^pip(?:[<>=!~].*)?$/.test(all[i] ?? ''));
  const named = all.filter((t) => t !== undefined && !t.startsWith('-'));
  if (pipItself.length > 0 && pipItself.length === named.length && all.every((t) => t !== undefined && (!t.startsWith('-') || /^-(?:U|-upgrade|q+|-quiet|-no-cache-dir)$/.test(t)))) return 'remove';
  uvPip();
  for (const word of pipItself) removeWord(r, word);
  return true;
}

/** `python setup.py develop|install` in the env installs the project (installSelf). */
export function setupPy(r: RuleContext, call: ShNode, args: ShNode[], texts: (string | undefined)[]): boolean {
  if (!/^python[\d.]*$/.test(texts[0] ?? '') || texts[1] !== 'setup.py' || texts.length !== 3) return false;
  if (texts[2] !== 'develop' && texts[2] !== 'install') return false;
  r.replace(r.pos(args[0]), r.end(call), installSelf(r, texts[2] === 'develop'));
  return true;
}

/** pip and `python setup.py` run in the activated env. */
export const pipInEnv: CommandRule = (r, { call, args, texts }) => {
  if (!r.scope.activated) return undefined;
  const at = pipCommand(texts);
  if (at >= 0) {
    const done = pip(r, call, args, texts, at);
    if (done === 'remove') return true;
    if (done) return false;
    r.note(args[0], `pip in the conda env (\`${r.raw(call).replace(/\s+/g, ' ')}\`): add packages to pyproject.toml with \`uv add\`, or use \`uv pip\``);
    r.scanAll(call.Args);
    return false;
  }
  return setupPy(r, call, args, texts) ? false : undefined;
};
