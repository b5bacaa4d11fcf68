// USER: micromamba's user, when the stage does not keep it (its base was not micromamba's image).
import type { Rule } from '../plan.js';

export const user: Rule = (m, step) => {
  if (step.stage.keptUser) return false; // kept: rules/base-variables.ts writes the user's name for $MAMBA_USER
  if (!/\$\{?MAMBA_USER\b/.test(step.node.getArgumentsContent() ?? '')) return false;
  step.removed = true;
  m.report(step.start, 'the micromamba user is gone with its image: the container now runs as root; add a user if it needs one');
  return true;
};
