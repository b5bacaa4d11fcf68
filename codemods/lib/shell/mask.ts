// Host syntax masks: make a host's own syntax parse as shell without moving any offset, so the
// engine's edits (found on the masked text) splice straight into the host's original text.

/** A same-length placeholder for a host expression: `${____}` (a harmless shell parameter). */
function placeholder(length: number): string {
  return length < 4 ? '_'.repeat(length) : `\${${'_'.repeat(length - 3)}}`;
}

/** End (exclusive) of a make reference `$(...)`/`${...}` starting at `at`, nesting counted. */
function makeRefEnd(text: string, at: number): number {
  const open = text[at + 1]!;
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\n') return i;
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * A Makefile recipe as shell: `$(VAR)`/`${VAR}`/`$(call f,x)` -> `${___}`, `$@`/`$<`... -> `$_`,
 * `$$` -> `\$` (the shell's `$`, escaped so that the parse stays valid), and a line's leading `@`, `-`, `+`
 * (recipe prefixes, not after a `\` continuation) -> spaces. Every offset stays where it was.
 */
export function maskMakefile(text: string): string {
  let out = '';
  let lineStart = true;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (lineStart) {
      if (c === ' ' || c === '\t') {
        out += c;
        i++;
        continue;
      }
      if (c === '@' || c === '-' || c === '+') {
        out += ' ';
        i++;
        continue;
      }
      lineStart = false;
    }
    if (c === '\n') {
      lineStart = text[i - 1] !== '\\';
      out += c;
      i++;
    } else if (c === '$' && text[i + 1] === '$') {
      out += '\\$';
      i += 2;
    } else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      const end = makeRefEnd(text, i);
      out += placeholder(end - i);
      i = end;
    } else if (c === '$' && i + 1 < text.length && text[i + 1] !== '\n') {
      out += '$_';
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A GitHub Actions `run:` script as shell: each `${{ ... }}` -> a same-length `${___}`. */
export function maskGithubExpressions(text: string): string {
  return text.replace(/\$\{\{[^\n]*?\}\}/g, (m) => placeholder(m.length));
}
