// ENV: CONDA_*/MAMBA_* go; a conda bin dir on PATH becomes the venv's (with VIRTUAL_ENV); other conda paths follow the venv or are reported.
import { CONDA_BIN, CONDA_WORD } from '../../lib/conda/vocabulary.js';
import { expandVars } from '../model.js';
import type { Rule } from '../plan.js';

/** A path inside a conda installation or env (`/opt/conda/envs/x/lib`). */
const inCondaPrefix = (part: string) => /^(?:\/opt\/(?:conda|(?:mini|ana)conda3|miniforge3|mambaforge)|(?:~|\$\{?HOME\}?|\/root|\/home\/[^/]+)\/(?:micromamba|(?:mini|ana)conda3|miniforge3|mambaforge))(?:\/|$)/.test(part);

export const env: Rule = (m, step) => {
  const { model } = m;
  const { source, offset } = model;
  const stage = step.stage;
  const venv = stage.venv;
  const node = step.node as import('dockerfile-ast').Env;
  const props = node.getProperties();
  let changed = false;
  const keep = props.filter((p) => !/^(?:CONDA_|MAMBA_)/.test(p.getName()));
  if (keep.length === 0) {
    step.removed = true;
    return true;
  }
  /** The property from its name to the end of its value, with the blanks and line continuations before it. */
  const wholeProperty = (p: (typeof props)[number]) => {
    const valueRange = p.getValueRange();
    let start = offset(p.getNameRange().start);
    for (;;) {
      while (start > 0 && /[ \t]/.test(source[start - 1]!)) start--;
      const continued = /\\\r?\n$/.exec(source.slice(Math.max(0, start - 3), start));
      if (!continued) break;
      start -= continued[0].length;
    }
    return { start, end: offset((valueRange ?? p.getNameRange()).end) };
  };
  for (const p of props) {
    const name = p.getName();
    const nameStart = offset(p.getNameRange().start);
    const valueRange = p.getValueRange();
    if (!keep.includes(p)) {
      step.edits.push({ ...wholeProperty(p), text: '' });
      changed = true;
      continue;
    }
    const value = p.getValue() ?? '';
    if (!valueRange) continue;
    if (name === 'PATH') {
      const parts = value.split(':');
      const condaParts = parts.filter((part) => {
        const known = expandVars(part, step.vars) ?? part; // `${ENV_DIR}/bin` with ARG ENV_DIR=/opt/conda/envs/app
        return CONDA_WORD.test(known) || /\/opt\/conda|miniconda|miniforge/.test(known);
      });
      if (condaParts.length === 0) continue;
      const target = venv ?? stage.receivesVenv;
      const kept = parts.filter((part) => !condaParts.includes(part));
      const first = parts.findIndex((part) => condaParts.includes(part));
      if (target && !stage.pathSet) kept.splice(first, 0, `${target}/bin`);
      const newValue = kept.join(':');
      const quoted = source[offset(valueRange.start)] === '"';
      if (newValue === '$PATH' || newValue === '${PATH}' || newValue === '') {
        if (props.length === 1) {
          step.removed = true;
          return true;
        }
        step.edits.push({ ...wholeProperty(p), text: '' });
        changed = true;
        continue;
      }
      const hasVirtualEnv = props.some((q) => q.getName() === 'VIRTUAL_ENV');
      const assignment = p.getAssignmentOperator() === '=';
      const prefix = target && !stage.pathSet && !hasVirtualEnv ? `VIRTUAL_ENV=${target} ` : '';
      if (assignment) {
        step.edits.push({ start: offset(valueRange.start), end: offset(valueRange.end), text: quoted ? `"${newValue}"` : newValue });
        if (prefix) step.edits.push({ start: nameStart, end: nameStart, text: prefix });
      } else {
        step.edits.push({ start: nameStart, end: offset(valueRange.end), text: `${prefix}PATH=${quoted ? `"${newValue}"` : newValue}` });
      }
      if (target) stage.pathSet = true;
      changed = true;
    } else if (/:/.test(value) && value.split(':').some(inCondaPrefix) && !value.split(':').every(inCondaPrefix)) {
      // `LD_LIBRARY_PATH=/opt/conda/envs/x/lib:$LD_LIBRARY_PATH`: the env is gone, so are its entries.
      const dropped = value.split(':').filter(inCondaPrefix);
      const kept = value.split(':').filter((part) => !inCondaPrefix(part));
      const selfOnly = kept.length === 1 && new RegExp(`^\\$\\{?${name}\\}?$`).test(kept[0]!);
      if (selfOnly) step.edits.push({ ...wholeProperty(p), text: '' });
      else {
        const quoted = source[offset(valueRange.start)] === '"';
        step.edits.push({ start: offset(valueRange.start), end: offset(valueRange.end), text: quoted ? `"${kept.join(':')}"` : kept.join(':') });
      }
      if (selfOnly && props.length === 1) {
        step.edits.length = 0;
        step.removed = true;
      }
      m.report(step.start, `ENV ${name} lost ${dropped.join(', ')} with the conda env: what the env provided there must come from the image now`);
      changed = true;
      if (step.removed) return true;
    } else if (venv && new RegExp(CONDA_BIN.source).test(value)) {
      const raw = source.slice(offset(valueRange.start), offset(valueRange.end));
      step.edits.push({ start: offset(valueRange.start), end: offset(valueRange.end), text: raw.replace(CONDA_BIN, `${venv}/bin`) });
      changed = true;
    } else if (CONDA_WORD.test(value) || /\/opt\/conda/.test(value)) {
      m.report(step.start, `ENV ${name} still points into conda: ${value}`, 'blocks');
    }
  }
  return changed;
};
