// SHELL: `conda run ... /bin/bash -c` as the shell keeps its shell (`["/bin/bash", "-c"]`); a login shell
// (for `conda activate` in .bashrc) or a shell that is only conda goes. RUN lines then run with the venv on PATH.
import { CONDA_WORD } from '../../lib/conda/vocabulary.js';
import { condaRunTarget } from '../../lib/shell/snippets.js';
import { builtOn, jsonStrings, shellBody, type Step } from '../model.js';
import type { Migration, Rule } from '../plan.js';

export const shell: Rule = (m, step) => {
  const strings = jsonStrings(m.model, step);
  const words = strings.map((s) => s.value);
  const target = condaRunTarget(strings);
  const rest = target > 0 ? words.slice(target) : words;
  const login = rest.some((w) => w === '--login' || w === '-l');
  if (target > 0 && target < words.length && /^(?:\/usr)?(?:\/bin\/)?(?:ba|z|da)?sh$/.test(rest[0]!) && !login && !CONDA_WORD.test(rest.join(' '))) {
    step.edits.push({ start: strings[0]!.start, end: strings[target]!.start, text: '' });
    return true;
  }
  const loginShell = /^(?:\/bin\/|\/usr\/bin\/)?(?:ba)?sh$/.test(words[0] ?? '') && login;
  if (loginShell && target < 0 && runsShellAfter(m, step)) {
    // Login only read conda's activation from .bashrc; later commands may still need bash.
    strings.forEach((s, i) => {
      if (s.value !== '--login' && s.value !== '-l') return;
      const next = strings[i + 1];
      step.edits.push(next ? { start: s.start, end: next.start, text: '' } : { start: strings[i - 1]!.end, end: s.end, text: '' });
    });
    return true;
  }
  if (loginShell || target >= 0 || CONDA_WORD.test(words.join(' '))) {
    step.removed = true;
    return true;
  }
  return false;
};

/** A shell-form command comes later in the stage or a stage built on it: it runs with this SHELL. */
function runsShellAfter(m: Migration, step: Step): boolean {
  const stages = m.model.stages.filter((s) => s === step.stage || builtOn(s, step.stage));
  return stages.some((stage) => stage.steps.some((s) => s.start > step.start && /^(?:RUN|CMD|ENTRYPOINT)$/.test(s.keyword) && shellBody(m.model, s) !== undefined));
}
