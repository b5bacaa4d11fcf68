// COPY/ADD: micromamba's binary and env files go; the venv copied from the builder follows the builder's venv.
import path from 'node:path';
import { CONDA_IMAGE } from '../../lib/conda/vocabulary.js';
import type { MigrationContext } from '../../../contract/types.js';
import { argumentsOf, CONDA_BINARY, CONDA_PREFIX, CONTEXT_SOURCE, INSTALLER } from '../model.js';
import type { Rule } from '../plan.js';

export function isEnvFileSource(source: string, ctx: MigrationContext, scripts: readonly string[]): boolean {
  const base = path.posix.basename(source).replace(/[*?]+$/, ''); // `environment-dev.yml*`: copied when present
  if (ctx.conda.envFiles.some((e) => path.posix.basename(e.path) === base)) return true;
  if (scripts.includes(base) || base === '.condarc' || /^conda-.*\.lock$/.test(base)) return true;
  return /(?:^|[_.-])env(?:ironment)?(?:[_.-][^/]*)?\.ya?ml$/i.test(base); // not envoy.yaml
}

export const copy: Rule = (m, step, walk) => {
  const { model, ctx, scripts } = m;
  const { source, offset } = model;
  const stage = step.stage;
  const node = step.node as import('dockerfile-ast').Copy;
  const paths = argumentsOf(model, step);
  const flags = node.getFlags().map((f) => ({ value: `--${f.getName()}=${f.getValue() ?? ''}`, start: offset(f.getRange().start), end: offset(f.getRange().end) }));
  const from = flags.find((f) => f.value.startsWith('--from='));
  const sources = paths.slice(0, -1);
  if (from && (CONDA_IMAGE.test(from.value.slice(7).split(/[:@]/)[0]!) || (sources.length > 0 && sources.every((s) => CONDA_BINARY.test(s.value))))) {
    step.removed = true; // micromamba's binary copied from its image or a stage
    return true;
  }
  if (!from && sources.length > 0 && sources.every((s) => INSTALLER.test(s.value))) {
    step.removed = true; // `ADD https://repo.anaconda.com/miniconda/Miniconda3-....sh /tmp/m.sh`: the installer goes
    return true;
  }
  let changed = false;
  for (const flag of flags) {
    if (/MAMBA_USER/.test(flag.value) && !stage.keptUser) {
      step.edits.push({ start: flag.start, end: flag.end + (/\s/.test(source[flag.end]!) ? 1 : 0), text: '' });
      changed = true;
    }
  }
  if (step === stage.venvCopy && stage.receivesVenv) {
    // The kept user owns the venv it runs with, as it owned the conda env.
    if (stage.keptUser && !flags.some((f) => f.value.startsWith('--chown='))) {
      step.edits.push({ start: flags[0]!.start, end: flags[0]!.start, text: `--chown=${stage.keptUser.name}:${stage.keptUser.name} ` });
      changed = true;
    }
    const copyIn = stage.copies.find((c) => c.step === step)!;
    const expanded = [...copyIn.sources, copyIn.dest];
    for (const [i, p] of paths.entries()) {
      if (p.value.replace(/\/+$/, '') !== stage.receivesVenv && CONDA_PREFIX.test(expanded[i] ?? p.value)) {
        step.edits.push({ start: p.start, end: p.end, text: stage.receivesVenv });
        changed = true;
      }
    }
    return changed;
  }
  if (sources.length === 1 && CONTEXT_SOURCE.test(sources[0]!.value) && !from) walk.sourceCopied ??= step;
  const envSources = sources.filter((s) => isEnvFileSource(s.value, ctx, scripts));
  if (envSources.length > 0 && (stage.envStep || sources.length === envSources.length)) {
    if (envSources.length === sources.length) step.removed = true;
    else {
      for (const s of envSources) step.edits.push({ start: s.start - 1, end: s.end, text: '' });
      stage.envFileCopies.push(step);
    }
    return true;
  }
  return changed;
};
