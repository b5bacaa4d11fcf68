// Variables the old base image defined that kept lines still use (`--chown=$MAMBA_USER:$MAMBA_USER`,
// `USER $MAMBA_USER`): written out as their values, since the new base does not define them.
import { textOf, type Stage, type Step } from '../model.js';
import type { Migration } from '../plan.js';

const USER_VARIABLE = /\$(?:\{(MAMBA_USER(?:_ID|_GID)?)\}|(MAMBA_USER(?:_ID|_GID)?)\b)/g;

/** The replacer for a stage that keeps micromamba's user. */
function userValues(stage: Stage): ((match: string, braced?: string, bare?: string) => string) | undefined {
  const user = stage.keptUser;
  return user && ((_, braced, bare) => ((braced ?? bare) === 'MAMBA_USER' ? user.name : user.id));
}

/** The text with the stage's base variables written out (before the shell engine, which takes `$MAMBA_USER` for conda). */
export function withBaseValues(stage: Stage, text: string): string {
  const replace = userValues(stage);
  return replace ? text.replace(USER_VARIABLE, replace) : text;
}

export function replaceBaseVariables(m: Migration): void {
  for (const stage of m.model.stages) {
    const replace = userValues(stage);
    if (replace) for (const step of stage.steps) if (!step.removed) replaceIn(m, step, USER_VARIABLE, replace);
  }
}

/** Replaces matches in the step's text: inside an edit that already rewrites them, or as edits of their own. */
function replaceIn(m: Migration, step: Step, pattern: RegExp, replace: (match: string, braced?: string, bare?: string) => string): void {
  const text = textOf(m.model, step);
  for (const match of text.matchAll(pattern)) {
    const start = step.start + match.index;
    const end = start + match[0].length;
    const covering = step.edits.find((e) => e.start <= start && end <= e.end);
    if (covering) covering.text = covering.text.replace(pattern, replace);
    else if (!step.edits.some((e) => e.start < end && start < e.end)) step.edits.push({ start, end, text: replace(match[0], match[1], match[2]) });
  }
}
