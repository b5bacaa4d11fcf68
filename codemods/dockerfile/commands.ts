// Commands inside instructions (RUN/CMD/ENTRYPOINT/HEALTHCHECK, shell or exec form) through the shell engine.
import path from 'node:path';
import { CONDA_BIN, CONDA_WORD } from '../lib/conda/vocabulary.js';
import { readExecForm } from '../lib/shell/exec-form.js';
import { rewriteSnippet, splitCommands, type Word } from '../lib/shell/snippets.js';
import { HOSTS } from '../lib/shell/hosts.js';
import { applyEdits, type Edit } from '../lib/text.js';
import { jsonStrings, shellBody, type JsonString, type Step } from './model.js';
import type { Migration } from './plan.js';
import { withBaseValues } from './rules/base-variables.js';
import { isEnvFileSource } from './rules/copy.js';

/** Drops the step's conda commands and keeps the rest (the shell engine rewrites what is left). */
export function rewriteShellStep(m: Migration, step: Step, afterEnv: boolean): boolean {
  const model = m.model;
  const source = model.source;
  const venv = step.stage.venv;
  if (step.keyword !== 'HEALTHCHECK') {
    const strings = jsonStrings(model, step);
    if (strings.length > 0) return rewriteJsonForm(m, step, strings, venv);
  }
  const body = shellBody(model, step);
  if (!body && step.keyword === 'HEALTHCHECK') {
    // `HEALTHCHECK CMD ["conda", "run", ...]`: dockerfile-ast gives no JSON strings for it.
    const sub = (step.node as import('dockerfile-ast').Healthcheck).getSubcommand();
    const open = sub ? source.indexOf('[', model.offset(sub.getRange().end)) : -1;
    if (open !== -1 && open < step.end) {
      const strings = [...source.slice(open, step.end).matchAll(/"(?:[^"\\\n]|\\.)*"/g)].map((s) => ({ value: JSON.parse(s[0]) as string, start: open + s.index, end: open + s.index + s[0].length }));
      if (strings.length > 0) return rewriteJsonForm(m, step, strings, venv);
    }
  }
  if (!body) {
    if (CONDA_WORD.test(source.slice(step.start, step.end))) m.report(step.start, `${step.keyword} in JSON or heredoc form still uses conda: rewrite it by hand`);
    return false;
  }
  const original = source.slice(body.start, body.end);
  const pre = withoutCondaOperands(withBaseValues(step.stage, model.masked.slice(body.start, body.end)), withBaseValues(step.stage, original));
  const rewritten = rewriteCommands(m, pre.masked, pre.text, venv, afterEnv && step.keyword === 'RUN', body.start) ?? (pre.changed ? { text: pre.text, allRemoved: false } : undefined);
  if (!rewritten) return false;
  if (rewritten.allRemoved) {
    if (step.keyword === 'HEALTHCHECK') {
      m.report(step.start, 'HEALTHCHECK only ran conda commands: check it by hand');
      return false;
    }
    step.removed = true;
    return true;
  }
  step.edits.push({ start: body.start, end: body.end, text: rewritten.text });
  return true;
}

/** `["conda", "run", "-n", "x", "python", "app.py"]` -> `["python", "app.py"]`; `["bash", "-c", "..."]` through the shell engine; micromamba's entrypoint goes. */
function rewriteJsonForm(m: Migration, step: Step, strings: readonly JsonString[], venv: string | undefined): boolean {
  if (step.keyword === 'ENTRYPOINT' && /_entrypoint\.sh$/.test(strings[0]!.value)) {
    step.removed = true;
    return true;
  }
  const form = readExecForm(strings.map((s) => s.value));
  if (form.onlyCondaRun) {
    step.removed = true;
    return true;
  }
  let changed = false;
  if (form.start > 0) {
    step.edits.push({ start: strings[0]!.start, end: strings[form.start]!.start, text: '' });
    changed = true;
  }
  for (let i = form.start; i < strings.length; i++) {
    const s = strings[i]!;
    let value = s.value;
    if (i === form.script) {
      const script = withBaseValues(step.stage, value);
      const r = rewriteCommands(m, script, script, venv, false, s.start);
      if (r && !r.allRemoved) value = r.text;
    } else if (venv) value = value.replace(CONDA_BIN, `${venv}/bin`);
    if (value !== s.value) {
      step.edits.push({ start: s.start, end: s.end, text: JSON.stringify(value) });
      changed = true;
    }
  }
  return changed;
}

export function rewriteCommands(m: Migration, maskedSnippet: string, snippet: string, venv: string | undefined, afterEnv: boolean, at: number) {
  return rewriteSnippet(maskedSnippet, snippet, {
    venv,
    scripts: m.scripts,
    ctx: m.ctx,
    renames: m.api.fs.renames,
    host: HOSTS.dockerfile,
    dropAlso: (words, afterEnvHere) => servesRemovedInstaller(m, words) || pipIntoCondaPrefix(m, words, at) || ((afterEnv || afterEnvHere) && pipIntoEnv(m, words)),
    onNote: (message) => m.report(at, message),
    onInstall: (seg) => m.report(at + seg.start, `removed \`${seg.text.replace(/\s*\\\n\s*/g, ' ')}\`: add what it installed with \`uv add\` if the env files lack it`),
  });
}

/** A path into a conda prefix or installation (not `/opt/conda-store`, which only has the word). */
const CONDA_PATH = /(?:^|\/)(?:conda|(?:mini|ana)conda3|miniforge3|mambaforge|micromamba)(?:\/|$)|\$\{?(?:CONDA|MAMBA)_[A-Z_]+/;

/**
 * `chown app /var/lib/app /opt/conda`: the conda operands go and the command stays for the others
 * (the shell engine would drop the whole command for its conda path).
 */
function withoutCondaOperands(masked: string, text: string): { masked: string; text: string; changed: boolean } {
  const edits: Edit[] = [];
  for (const seg of splitCommands(masked)) {
    const head = seg.words[0]?.value ?? '';
    if (!/^(?:chown|chgrp|chmod|mkdir|rm|touch)$/.test(head)) continue;
    const operands = seg.words.slice(1).filter((w) => !w.value.startsWith('-'));
    const targets = /^(?:chown|chgrp|chmod)$/.test(head) ? operands.slice(1) : operands;
    const conda = targets.filter((w) => CONDA_PATH.test(w.value));
    if (conda.length === 0 || conda.length === targets.length) continue;
    for (const w of conda) {
      let start = w.start;
      while (start > 0 && /[ \t]/.test(masked[start - 1]!)) start--;
      edits.push({ start, end: w.end, text: '' });
    }
  }
  return { masked: applyEdits(masked, edits), text: applyEdits(text, edits), changed: edits.length > 0 };
}

/**
 * What only served the removed installer: running a downloaded installer by its path, and `rm`/`chmod`/`sh`
 * of installer files or env files (`rm /tmp/environment.yml` after the COPY that brought it in went).
 */
function servesRemovedInstaller(m: Migration, segmentWords: readonly Word[]): boolean {
  const words = segmentWords.map((w) => w.value);
  const head = words[0] ?? '';
  if (m.installerFiles.has(head)) return true;
  const base = head.replace(/^.*\//, '');
  if (!/^(?:rm|chmod|bash|sh)$/.test(base)) return false;
  let args = words.slice(1).filter((w) => !w.startsWith('-'));
  if (base === 'chmod') args = args.slice(1); // the mode
  else if (base !== 'rm') args = args.slice(0, 1); // the script run, not its arguments
  return args.length > 0 && args.every((a) => m.installerFiles.has(a) || isEnvFileSource(a, m.ctx, m.scripts));
}

/**
 * `/opt/conda/bin/pip install pylint`: a package installed into the conda base with its pip. The venv
 * does not exist yet where this runs (and has no pip): the package belongs in pyproject (`uv add`).
 */
function pipIntoCondaPrefix(m: Migration, segmentWords: readonly Word[], at: number): boolean {
  const words = segmentWords.map((w) => w.value);
  const head = words[0] ?? '';
  if (!new RegExp(`${CONDA_BIN.source}/(?:pip3?|python3?)$`).test(head)) return false;
  const install = /pip3?$/.test(head) ? words[1] === 'install' : words[1] === '-m' && words[2] === 'pip' && words[3] === 'install';
  if (install) m.report(at, `removed \`${words.join(' ')}\`: add what it installed with \`uv add\` if the env files lack it`);
  return install;
}

/** `pip install -e .` and `pip install -r F` with F merged into pyproject are the sync steps' job now. */
function pipIntoEnv(m: Migration, segmentWords: readonly Word[]): boolean {
  const words = segmentWords.map((w) => w.value);
  const at = words[0] === 'pip' || words[0] === 'pip3' ? 1 : words[0]?.startsWith('python') && words[1] === '-m' && words[2] === 'pip' ? 3 : -1;
  if (at < 0 || words[at] !== 'install') return false;
  const args = words.slice(at + 1);
  // `.` is the project unless it is the value of an option that takes one (`--target .`); `--no-cache-dir .` is the project.
  const valueOf = (option: string) => /^(?:-[rctif]|--(?:requirement|constraint|target|prefix|root|index-url|extra-index-url|find-links|src))$/.test(option);
  const editableSelf = args.some((a, k) => (a === '.' || a === './') && (k === 0 || !valueOf(args[k - 1]!)));
  const merged = args.some((a, k) => args[k - 1] === '-r' && m.ctx.conda.dependencies.some((d) => d.sources.some((s) => path.posix.basename(s) === path.posix.basename(a))));
  return editableSelf || merged;
}
