// System packages the env got from conda (ffmpeg, git...) are installed in the final stage with its package manager.
import { splitCommands } from '../../lib/shell/snippets.js';
import { isMambaUser, shellBody } from '../model.js';
import type { Migration } from '../plan.js';
import { installLine } from './packages.js';

export function addSystemPackages(m: Migration): void {
  const { model, ctx, api, file } = m;
  const { source } = model;
  const wanted = [...new Set(ctx.conda.systemPackages.map((p) => p.debian))];
  const stage = model.stages[model.stages.length - 1];
  if (wanted.length === 0 || !stage || !(stage.gainsUv || stage.receivesVenv)) return;
  for (const step of stage.steps) {
    if (step.keyword !== 'RUN' || step.removed) continue;
    const body = shellBody(model, step);
    if (!body) continue;
    // The body as it will be written: an earlier rule may have rewritten it already.
    const rewritten = step.edits.find((e) => e.start === body.start && e.end === body.end);
    const text = rewritten ? rewritten.text : source.slice(body.start, body.end);
    const added = addToAptInstall(text, rewritten ? text : model.masked.slice(body.start, body.end), wanted);
    if (added === undefined) continue;
    if (added.missing.length > 0) {
      if (rewritten) rewritten.text = added.text;
      else step.edits.push({ start: body.start, end: body.end, text: added.text });
      api.decide(`system packages from the env added to apt-get install: ${added.missing.join(', ')}`, file.path);
    }
    return;
  }
  if (stage.distro === 'alpine') {
    m.report(stage.steps[0]!.start, `the env's system packages need installing in this Alpine image: ${wanted.join(' ')} (Debian names)`, 'blocks');
    return;
  }
  const anchor = stage.envStep ?? stage.steps[0]!;
  const line = installLine(stage, wanted);
  // Installed as root: right after FROM when the env step ran as the kept non-root user.
  if (anchor === stage.steps[0] || (stage.keptUser && isMambaUser(anchor.user))) stage.afterFrom.packages.push(line);
  else anchor.before.unshift(line);
  api.decide(`system packages from the env installed with apt-get: ${wanted.join(', ')}`, file.path);
}

/** `apt-get install` in a shell snippet with `wanted` packages added after its last one (one a line when it lists one a line). */
function addToAptInstall(text: string, masked: string, wanted: readonly string[]): { text: string; missing: string[] } | undefined {
  for (const seg of splitCommands(masked)) {
    const words = seg.words;
    const at = words.findIndex((w) => w.value === 'install');
    if (!/^apt(?:-get)?$/.test(words[0]?.value ?? '') || at < 0) continue;
    const present = new Set(words.slice(at + 1).map((w) => w.value));
    const missing = wanted.filter((p) => !present.has(p));
    if (missing.length === 0) return { text, missing };
    const last = words[words.length - 1]!;
    const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
    const indent = text.slice(lineStart, last.start);
    const continuation = /^([ \t]*)\\\n/.exec(text.slice(last.end));
    if (/^[ \t]+$/.test(indent) && continuation) {
      const at = last.end + continuation[0].length;
      return { text: text.slice(0, at) + missing.map((p) => `${indent}${p}${continuation[1]}\\\n`).join('') + text.slice(at), missing };
    }
    return { text: `${text.slice(0, last.end)} ${missing.join(' ')}${text.slice(last.end)}`, missing };
  }
  return undefined;
}
