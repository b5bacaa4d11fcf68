// What the codemod refuses before it models a Dockerfile: the whole file is left as it is, with the reason.
import { CodemodError } from '../../contract/errors.js';
import { lineColAt } from '../lib/text.js';
import { lineStarts, SHELL_TEST, type Dockerfile } from './model.js';

type JsonForm = import('dockerfile-ast').JSONInstruction;
const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL']);

/**
 * `# escape=\``: lines continue with a backtick and a backslash is a plain character, which the shell
 * engine (POSIX shell) would misread, and half a RUN would change. Refused whole, at the directive.
 */
export function refuseOtherEscape(df: Dockerfile, source: string): void {
  const escape = df.getEscapeCharacter();
  if (escape === '\\') return;
  const directive = /^#[ \t]*escape[ \t]*=/im.exec(source);
  const { line, col } = lineColAt(source, directive?.index ?? 0);
  throw new CodemodError(`the escape directive makes ${escape} the line continuation: such a Dockerfile is not migrated (left untouched)`, line, col);
}

/**
 * An instruction that opens a JSON array it does not close (dockerfile-ast finds an opening bracket
 * but no closing one) was meant as exec form, but Docker would run it as a shell command: rewriting
 * it would only hide the typo, so it is refused at the place the JSON breaks. `[ -f x ] && ...` and
 * `[[ ... ]]` are shell tests, not JSON.
 */
export function refuseBrokenJsonForm(df: Dockerfile, source: string, parser: typeof import('dockerfile-ast').DockerfileParser): void {
  for (const node of df.getInstructions()) {
    const keyword = node.getKeyword();
    let ins: JsonForm | undefined;
    let text = source;
    let base = 0; // where `text` starts in `source`
    if (JSON_FORM.has(keyword)) ins = node as JsonForm;
    else if (keyword === 'HEALTHCHECK') {
      // dockerfile-ast does not scan HEALTHCHECK CMD's JSON: scan it as a CMD of its own.
      const sub = (node as import('dockerfile-ast').Healthcheck).getSubcommand();
      if (sub?.getValue().toUpperCase() !== 'CMD') continue;
      const end = lineStarts(source)[sub.getRange().end.line]! + sub.getRange().end.character;
      base = end - 'CMD'.length;
      text = `CMD${source.slice(end, lineStarts(source)[node.getRange().end.line]! + node.getRange().end.character)}`;
      ins = parser.parse(text).getInstructions()[0] as JsonForm | undefined;
    }
    const open = ins?.getOpeningBracket();
    if (!ins || !open || ins.getClosingBracket()) continue;
    const starts = lineStarts(text);
    const at = (p: { line: number; character: number }) => starts[p.line]! + p.character;
    const args = ins.getArgumentsRange()!;
    if (SHELL_TEST.test(text.slice(at(args.start), at(args.end)))) continue;
    // dockerfile-ast stops at the first character after the last complete string (or the bracket) that does not fit.
    const strings = ins.getJSONStrings();
    let stop = at((strings.length > 0 ? strings[strings.length - 1]! : open).getRange().end);
    const skip = () => {
      while (stop < at(args.end) && /[\s\\]/.test(text[stop]!)) stop++;
    };
    skip();
    if (text[stop] === ',') {
      stop++;
      skip();
    }
    const { line, col } = lineColAt(source, base + stop);
    throw new CodemodError(`${keyword} starts a JSON array that is not valid JSON (Docker would run it as a shell command): fix it, then run again`, line, col);
  }
}
