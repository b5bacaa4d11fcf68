// The emitter: the planned steps as splices into the original text (never a reprint).
import { CONDA_WORD } from '../lib/conda/vocabulary.js';
import { applyEdits, explainingComment, type Edit } from '../lib/text.js';
import type { Model, Step } from './model.js';

/** Words of a comment that talks about the env (with CONDA_WORD): `# Make RUN commands use the new environment:`. */
const ENV_TALK = /environment|activat|\b(?:v?env)\b/i;

export function emit(model: Model): string {
  const { source } = model;
  const edits: Edit[] = [];
  const allSteps = [...model.globalSteps, ...model.stages.flatMap((s) => s.steps)];
  for (const step of allSteps) {
    const atEof = step.lineEnd === source.length && !source.endsWith('\n');
    const lines = (list: string[]) => (list.length === 0 ? '' : atEof ? `\n${list.join('\n')}` : `${list.join('\n')}\n`);
    if (step.removed) {
      let start = source.lastIndexOf('\n', step.start - 1) + 1;
      let end = step.lineEnd;
      // The comment block right above documents the removed instruction and goes with it when it talks
      // about conda or the env; a plain one (`# build stage`) always stays. When it heads a group that
      // goes on (the next line is an instruction that stays or is replaced), only its conda lines go.
      // Parser directives always stay.
      const next = allSteps.find((s) => s.start === step.lineEnd);
      const heading = next !== undefined && (!next.removed || next.before.length + next.after.length > 0);
      const text = step.before.length + step.after.length > 0 ? `${[...step.before, ...step.after].join('\n')}\n` : '';
      start = explainingComment(source, start, {
        comment: /^\s*#/,
        line: (line) => !/^#\s*(?:syntax|escape|check)\s*=/i.test(line) && (!heading || CONDA_WORD.test(line)),
        block: (block, blockStart) => heading || CONDA_WORD.test(block) || ENV_TALK.test(block) || (!text && ownParagraph(blockStart, step)),
      });
      const blankBefore = start === 0 || /^[ \t]*$/.test(source.slice(source.lastIndexOf('\n', start - 2) + 1, start - 1));
      const nextNl = source.indexOf('\n', end);
      if (!text && blankBefore && end < source.length && /^[ \t]*$/.test(source.slice(end, nextNl === -1 ? source.length : nextNl))) end = nextNl === -1 ? source.length : nextNl + 1;
      if (!text && end === source.length && !source.endsWith('\n') && start > 0) start -= 1; // keep the file's missing final newline
      edits.push({ start, end, text });
      continue;
    }
    const lineStart = source.lastIndexOf('\n', step.start - 1) + 1;
    if (step.before.length > 0) edits.push({ start: lineStart, end: lineStart, text: lines(step.before) });
    edits.push(...step.edits);
    if (step.after.length > 0) edits.push({ start: step.lineEnd, end: step.lineEnd, text: lines(step.after) });
  }
  return applyEdits(source, edits);

  /**
   * A plain comment whose paragraph (from a blank line to the next) holds only it and instructions that
   * all go without a replacement (`# Install the project` above a `pip install .` whose sync went
   * elsewhere) documented them alone: it goes with them rather than heading nothing.
   */
  function ownParagraph(blockStart: number, step: Step): boolean {
    const above = source.slice(source.lastIndexOf('\n', blockStart - 2) + 1, Math.max(blockStart - 1, 0));
    if (blockStart > 0 && !/^[ \t]*$/.test(above)) return false;
    let last = step;
    for (let next = allSteps.find((s) => s.start === last.lineEnd); next?.removed && next.before.length + next.after.length === 0; next = allSteps.find((s) => s.start === last.lineEnd)) last = next;
    const nl = source.indexOf('\n', last.lineEnd);
    return last.lineEnd >= source.length || /^[ \t]*$/.test(source.slice(last.lineEnd, nl === -1 ? source.length : nl));
  }
}
