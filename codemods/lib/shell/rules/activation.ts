// Activating and deactivating a conda env: `conda activate x`, `source activate x`, `eval "$(conda shell.bash activate x)"`.
import type { ParsedConda } from '../commands.js';
import { unquoted, type ShNode } from '../parser.js';
import { keptEnv, projectOf } from './common.js';
import type { Command, CommandRule, RuleContext } from './context.js';

/** A statement that is a conda activation, by its text. */
export const ACTIVATION_TEXT = /^(?:(?:conda|mamba|micromamba)\s+activate|(?:source|\.)\s+activate)\b/;

/** `source activate`, `. /opt/conda/bin/activate`; a plain venv's bin/activate is not conda. */
const CONDA_ACTIVATE_SCRIPT = /^(?:activate|(?:\S*(?:conda|mamba|miniforge|CONDA)\S*\/)?bin\/activate)$/;

/**
 * A conda activation met: goes (returns true), or becomes the venv's (`source .venv/bin/activate`) when
 * the host chose that; commands after it then run as they are.
 */
function activate(r: RuleContext, stmtStart: ShNode, stmtEnd: ShNode, env?: string | true): boolean {
  r.seen.activation = true;
  const project = projectOf(r, env);
  const venvActivation = r.options.host.venvActivation;
  if (r.options.useVenvActivation && venvActivation) {
    const text = project ? venvActivation.replace('.venv/', `${project}/.venv/`) : venvActivation;
    r.replace(r.pos(stmtStart), r.end(stmtEnd), text);
    r.scope = { activated: true, prefix: false, project };
    return false;
  }
  r.scope = { ...r.scope, activated: true, project };
  return true;
}

/** `source activate x`, `. /opt/conda/bin/activate`, `source deactivate`, `eval "$(conda shell.bash activate x)"`; another venv's activation. */
export const activation: CommandRule = (r, { call, args, texts }) => {
  const command = texts[0];
  if ((command === 'source' || command === '.') && args.length > 1) {
    const target = unquoted(args[1]) ?? r.raw(args[1]).replace(/^["']|["']$/g, '');
    if (CONDA_ACTIVATE_SCRIPT.test(target)) {
      if (keptEnv(r, texts[2], args[0])) return false;
      return activate(r, args[0], call, texts[2]);
    }
    if (target === 'deactivate' || /conda\S*\/bin\/deactivate$/.test(target)) {
      r.scope.activated = false;
      return true;
    }
    // `source venv/bin/activate`: another venv is active from here on; nothing gets `uv run`.
    if (/(?:^|\/)bin\/activate$/.test(target)) {
      r.scope = { activated: false, prefix: false };
      return false;
    }
  }
  if (command === 'eval') {
    const evaluated = args.slice(1).map((a) => r.raw(a)).join(' ');
    // `eval "$(conda shell.bash activate x)"` activates (`eval "$(conda shell.bash hook)"` only loads conda: setup.ts).
    if (/\b(?:conda|mamba|micromamba)\b[^)]*\bshell\S*\s+activate\b/.test(evaluated)) {
      const name = /\bactivate\s+["']?([\w.-]+)/.exec(evaluated)?.[1];
      if (keptEnv(r, name, args[0])) return false;
      return activate(r, args[0], call, name);
    }
  }
  return undefined;
};

/** `conda activate x`. */
export function condaActivate(r: RuleContext, { call, args }: Command, parsed: ParsedConda): boolean {
  if (keptEnv(r, parsed.positionals[0]?.text, args[0])) return false;
  return activate(r, args[0], call, parsed.positionals[0]?.text ?? parsed.options.get('-n') ?? parsed.options.get('--name'));
}

/** `conda deactivate`: goes, or becomes the venv's `deactivate` after the venv's activation. */
export function condaDeactivate(r: RuleContext, { call, args }: Command): boolean {
  if (r.options.useVenvActivation && r.scope.activated && !r.scope.prefix) {
    r.replace(r.pos(args[0]), r.end(call), 'deactivate');
    r.scope = { activated: false, prefix: r.options.host.reach === 'uv-run' };
    return false;
  }
  r.scope.activated = false;
  return true;
}
