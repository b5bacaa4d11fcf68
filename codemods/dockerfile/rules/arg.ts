// ARG: conda's and micromamba's build arguments go.
import type { Rule } from '../plan.js';

export const arg: Rule = (_m, step) => {
  const name = step.node.getArgumentsContent()?.split('=')[0]?.trim() ?? '';
  if (!/^(?:CONDA_|MAMBA_)/.test(name)) return false;
  step.removed = true;
  return true;
};
