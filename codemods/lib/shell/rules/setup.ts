// conda's own set-up, which uv does not need: loading conda into the shell, start-up files, lookups.
import { CONDA_TOOLS } from '../commands.js';
import { unquoted, type ShNode } from '../parser.js';
import type { CommandRule } from './context.js';

/** Shell start-up files that `conda init` and `echo "conda activate x" >> ~/.bashrc` write to. */
const RC_FILE = /(?:^|\/)\.(?:bashrc|zshrc|profile|bash_profile)$|^\/etc\/(?:profile|bash\.bashrc)/;

/** `source .../profile.d/conda.sh`, `module load anaconda3`, `eval "$(conda shell.bash hook)"`: only brought conda in. */
export const loadConda: CommandRule = (r, { args, texts }) => {
  const command = texts[0];
  if ((command === 'source' || command === '.') && args.length > 1) {
    const target = unquoted(args[1]) ?? r.raw(args[1]).replace(/^["']|["']$/g, '');
    if (/profile\.d\/(?:conda|mamba|micromamba)\.sh$/.test(target)) return true;
  }
  // HPC: `module load anaconda3` only brought conda onto PATH.
  if (command === 'module' && (texts[1] === 'load' || texts[1] === 'add') && texts.slice(2).every((t) => t !== undefined && /conda|mamba|miniforge/i.test(t))) return true;
  if (command === 'eval' && /\b(?:conda|mamba|micromamba)\b[^)]*\b(?:shell|hook)\b/.test(args.slice(1).map((a) => r.raw(a)).join(' '))) return true;
  return undefined;
};

/** `echo "conda activate x" >> ~/.bashrc`: the start-up file only served conda. */
export const startupFile: CommandRule = (r, { stmt, call, texts }) => {
  const command = texts[0];
  if ((command === 'echo' || command === 'printf') && /conda|mamba/.test((call.Args as ShNode[]).map((a) => r.raw(a)).join(' '))) {
    if ((stmt.Redirs as ShNode[]).some((redirect) => RC_FILE.test(unquoted(redirect.Word)?.replace(/^(?:~|\$HOME|\$\{HOME\})/, '') ?? ''))) return true;
  }
  return undefined;
};

/** `which conda`, `command -v mamba` -> `uv`. */
export const lookup: CommandRule = (r, { args, texts }) => {
  if (!['command', 'which', 'type', 'hash'].includes(texts[0] ?? '')) return undefined;
  for (const arg of args.slice(1)) {
    if (CONDA_TOOLS.has(unquoted(arg) ?? '')) r.replace(r.pos(arg), r.end(arg), 'uv');
  }
  return false;
};
