// Make syntax in a recipe, hidden from the shell engine and restored afterwards.
// Every make reference becomes a numbered placeholder `${__mkN__}` (a shell parameter, so the engine
// parses it as a word) that maps back to its exact original text; `$$` becomes the one `$` the shell
// sees; the recipe prefix at the start of continuation lines is dropped (make strips it too).
// Anything the engine writes with a `$` of its own is shell, so it comes back doubled (`$$`).
import { findRefs } from './lexer.js';

/** A piece of the recipe that the caller replaces before masking: removed, or swapped for other text. */
export type Replacement = {
  start: number; // index in the recipe text
  end: number;
} & (
  | { shell: string } // shell text for the engine (literal: a `$` in it is a shell `$`)
  | { make: string } // make text, masked like the recipe (a macro's value shown in place of its reference)
);

export interface Masked {
  text: string;
  /** Placeholder index -> the make text it stands for. */
  refs: string[];
  /** Line of the masked text (0-based) -> line of the recipe it came from (a replacement may drop a continuation). */
  lines: number[];
}

const PLACEHOLDER = /\$\{__mk(\d+)__\}|\$/g;

/** Mask `recipe` (one logical recipe line after its prefix) for the shell engine; `replacements` go in first. */
export function maskRecipe(recipe: string, prefix: string, replacements: readonly Replacement[] = []): Masked {
  const refs: string[] = [];
  let text = '';
  const emit = (make: string) => {
    let at = 0;
    for (const ref of findRefs(make)) {
      text += make.slice(at, ref.start);
      const original = make.slice(ref.start, ref.end);
      if (original === '$$') text += '$';
      else {
        text += `\${__mk${refs.length}__}`;
        refs.push(original);
      }
      at = ref.end;
    }
    text += make.slice(at);
  };
  const lines = [0];
  let line = 0;
  const original = (from: number, to: number) => {
    const part = recipe.slice(from, to);
    emit(part);
    for (let i = part.indexOf('\n'); i !== -1; i = part.indexOf('\n', i + 1)) lines.push(++line);
  };
  let at = 0;
  for (const piece of [...replacements].sort((a, b) => a.start - b.start)) {
    original(at, piece.start);
    if ('shell' in piece) text += piece.shell;
    else emit(piece.make.replace(/\\\n\s*/g, ' '));
    line += recipe.slice(piece.start, piece.end).split('\n').length - 1;
    at = piece.end;
  }
  original(at, recipe.length);
  // make strips the recipe prefix from continuation lines before the shell sees them.
  return { text: text.replaceAll(`\\\n${prefix}`, '\\\n'), refs, lines };
}

/** Back from the engine's shell to make syntax. */
export function unmaskRecipe(shell: string, masked: Masked, prefix: string, hadPrefix: boolean): string {
  const make = shell.replace(PLACEHOLDER, (match, n: string | undefined) => (n !== undefined ? masked.refs[Number(n)]! : '$$'));
  return hadPrefix ? make.replaceAll('\\\n', `\\\n${prefix}`) : make;
}
