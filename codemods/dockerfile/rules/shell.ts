// SHELL: a login shell (for `conda activate` in .bashrc) or `conda run` as the shell goes; RUN lines then run in the venv on PATH.
import { CONDA_WORD } from '../../lib/conda/vocabulary.js';
import { condaRunTarget } from '../../lib/shell/snippets.js';
import { jsonStrings } from '../model.js';
import type { Rule } from '../plan.js';

export const shell: Rule = (m, step) => {
  const words = jsonStrings(m.model, step).map((s) => s.value);
  const login = /^(?:\/bin\/|\/usr\/bin\/)?(?:ba)?sh$/.test(words[0] ?? '') && words.some((w) => w === '--login' || w === '-l');
  if (login || condaRunTarget(words.map((value) => ({ value }))) >= 0 || CONDA_WORD.test(words.join(' '))) {
    step.removed = true;
    return true;
  }
  return false;
};
