// USER: micromamba's user.
import type { Rule } from '../plan.js';

export const user: Rule = (m, step) => {
  if (!/MAMBA_USER|mambauser/.test(step.node.getArgumentsContent() ?? '')) return false;
  step.removed = true;
  m.report(step.start, 'the micromamba user is gone with its image: the container now runs as root; add a user if it needs one');
  return true;
};
