// Make syntax in a recipe, hidden from the shell engine and restored afterwards.
// Every make reference becomes a numbered placeholder `${__mkN__}` (a shell parameter, so the engine
// parses it as a word) that maps back to its exact original text; `$$` becomes the one `$` the shell
// sees; the recipe prefix at the start of continuation lines is dropped (make strips it too).
// Anything the engine writes with a `$` of its own is shell, so it comes back doubled (`$$`).
import { findRefs } from './lexer.js';

/** A piece of the recipe that the caller replaces before masking: removed, or swapped for text. */
export interface Replacement {
  start: number; // index in the recipe text
  end: number;
  /** Shell text for the engine (literal: a `$` in it is a shell `$`). */
  shell: string;
}

export interface Masked {
  text: string;
  /** Placeholder index -> the make text it stands for. */
  refs: string[];
}

const PLACEHOLDER = /\$\{__mk(\d+)__\}|\$/g;

/**
 * Mask `recipe` (the text of one logical recipe line after its prefix) for the shell engine.
 * `keep(ref)` says which references stay opaque placeholders; `replacements` are applied first.
 */
export function maskRecipe(recipe: string, prefix: string, replacements: readonly Replacement[] = []): Masked {
  const refs: string[] = [];
  let text = '';
  let at = 0;
  const sorted = [...replacements].sort((a, b) => a.start - b.start);
  const plain = (from: number, to: number) => {
    // Between references: drop the recipe prefix after each continuation.
    text += recipe.slice(from, to).replaceAll(`\\\n${prefix}`, '\\\n');
  };
  const refsAndReplacements = [
    ...findRefs(recipe).filter((r) => !sorted.some((s) => r.start < s.end && s.start < r.end)),
    ...sorted,
  ].sort((a, b) => a.start - b.start);
  for (const piece of refsAndReplacements) {
    plain(at, piece.start);
    if ('shell' in piece) text += piece.shell;
    else if (recipe.slice(piece.start, piece.end) === '$$') text += '$';
    else {
      text += `\${__mk${refs.length}__}`;
      refs.push(recipe.slice(piece.start, piece.end));
    }
    at = piece.end;
  }
  plain(at, recipe.length);
  return { text, refs };
}

/** Back from the engine's shell to make syntax. */
export function unmaskRecipe(shell: string, masked: Masked, prefix: string, hadPrefix: boolean): string {
  const make = shell.replace(PLACEHOLDER, (match, n: string | undefined) => (n !== undefined ? masked.refs[Number(n)]! : '$$'));
  return hadPrefix ? make.replaceAll('\\\n', `\\\n${prefix}`) : make;
}
