// The rules for a simple command, in the order they are tried: the first that knows the command decides.
// A new command's rule goes in the file of its family (or a new one) and into this table.
import { activation } from './activation.js';
import { conda } from './conda.js';
import type { CommandRule } from './context.js';
import { condaBinCommand, envCommand } from './env-commands.js';
import { installer } from './installers.js';
import { nestedShell } from './nested-shell.js';
import { pipInEnv } from './pip.js';
import { loadConda, lookup, startupFile } from './setup.js';

export const COMMAND_RULES: readonly CommandRule[] = [
  activation, // source activate x, eval "$(conda shell.bash activate x)"
  loadConda, // source .../profile.d/conda.sh, module load anaconda3, eval "$(conda shell.bash hook)"
  conda, // conda|mamba|micromamba SUB ...
  installer, // the Miniconda installer's download, run and clean-up
  startupFile, // echo "conda activate x" >> ~/.bashrc
  condaBinCommand, // /opt/conda/envs/x/bin/python
  lookup, // which conda
  pipInEnv, // pip / python setup.py in the activated env
  nestedShell, // bash -c '...'
  envCommand, // pytest -> uv run pytest in the activated env
];

export { installerPipe } from './installers.js';
export { ACTIVATION_TEXT } from './activation.js';
export { condaOnlyAssign } from './variables.js';
export type { Command, RuleContext, Scope, Seen } from './context.js';
