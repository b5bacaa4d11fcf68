// The tree mvdan/sh gives a text of plain commands (index.ts's plainCommands: every line plain words,
// ASCII, no quote, expansion, operator, comment, assignment or reserved word first), built without the
// parser: one statement per non-blank line, a call of one literal word per word. A parse costs the same
// however short the text, and such snippets (`conda activate x` / `pytest -q`) are most of what the
// engine is given. A test holds these trees to the parser's, field by field, over generated texts.
import type { ShNode } from './parser.js';

/** A position as mvdan/sh's Pos reads (offsets are bytes, which are chars in an ASCII text). */
class Pos {
  constructor(
    private readonly offset: number,
    private readonly line: number,
    private readonly col: number,
  ) {}
  Offset(): number {
    return this.offset;
  }
  Line(): number {
    return this.line;
  }
  Col(): number {
    return this.col;
  }
  IsValid(): boolean {
    return this.line > 0;
  }
}

const NO_POS = new Pos(0, 0, 0);

// Each node's class carries mvdan/sh's type name where parser.ts's nodeType reads it (`constructor.string`).
class Lit {
  static readonly string = '*syntax.Lit';
  constructor(
    readonly Value: string,
    readonly ValuePos: Pos,
    readonly ValueEnd: Pos,
  ) {}
  Pos(): Pos {
    return this.ValuePos;
  }
  End(): Pos {
    return this.ValueEnd;
  }
}

class Word {
  static readonly string = '*syntax.Word';
  constructor(readonly Parts: readonly Lit[]) {}
  Pos(): Pos {
    return this.Parts[0]!.Pos();
  }
  End(): Pos {
    return this.Parts[this.Parts.length - 1]!.End();
  }
}

class CallExpr {
  static readonly string = '*syntax.CallExpr';
  readonly Assigns: readonly never[] = Object.freeze([]);
  constructor(readonly Args: readonly Word[]) {}
  Pos(): Pos {
    return this.Args[0]!.Pos();
  }
  End(): Pos {
    return this.Args[this.Args.length - 1]!.End();
  }
}

class Stmt {
  static readonly string = '*syntax.Stmt';
  readonly Redirs: readonly never[] = Object.freeze([]);
  readonly Semicolon = NO_POS;
  constructor(readonly Cmd: CallExpr) {}
  Pos(): Pos {
    return this.Cmd.Pos();
  }
  End(): Pos {
    return this.Cmd.End();
  }
}

class File {
  static readonly string = '*syntax.File';
  constructor(readonly Stmts: readonly Stmt[]) {}
}

const WORD = /[^ \t]+/g;

/** mvdan/sh's tree of a plain-commands text (the caller has checked it is one). Read-only, as parses are. */
export function plainTree(text: string): ShNode {
  const stmts: Stmt[] = [];
  let lineStart = 0;
  text.split('\n').forEach((line, i) => {
    const args: Word[] = [];
    for (const m of line.matchAll(WORD)) {
      const at = lineStart + m.index;
      const lit = Object.freeze(new Lit(m[0], new Pos(at, i + 1, m.index + 1), new Pos(at + m[0].length, i + 1, m.index + m[0].length + 1)));
      args.push(Object.freeze(new Word(Object.freeze([lit]))));
    }
    if (args.length > 0) stmts.push(Object.freeze(new Stmt(Object.freeze(new CallExpr(Object.freeze(args))))));
    lineStart += line.length + 1;
  });
  return Object.freeze(new File(Object.freeze(stmts)));
}
