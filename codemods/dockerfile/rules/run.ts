// RUN: conda commands go (the shell engine rewrites the rest); the step that created the env becomes the uv sync block.
import { rewriteShellStep } from '../commands.js';
import type { Rule } from '../plan.js';
import { placeSync } from './sync.js';

export const run: Rule = (m, step, walk) => {
  const changed = rewriteShellStep(m, step, walk.afterEnv);
  if (step !== step.stage.envStep) return changed;
  walk.afterEnv = true;
  placeSync(m, step, walk.sourceCopied);
  return true;
};
