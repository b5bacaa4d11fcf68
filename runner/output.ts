// Everything the CLI prints goes through here: secrets redacted, colour decided once per stream (uv's
// --color, then NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal), errors and
// warnings on stderr with uv's `error:`/`warning:` prefixes, and a reader that closes early (`| head`)
// ends the output quietly instead of in an unhandled EPIPE.
import { redactSecrets } from './secrets.js';

export type ColorChoice = 'auto' | 'always' | 'never';

export interface Painter {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function painter(enabled: boolean): Painter {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Whether to colour a stream: an explicit --color wins, then NO_COLOR, then FORCE_COLOR, then a terminal. */
export function useColor(choice: ColorChoice, isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (choice !== 'auto') return choice === 'always';
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return !/^(?:0|false)$/i.test(env.FORCE_COLOR);
  return isTTY;
}

/** A stream that redacts what it writes and goes quiet once its reader has gone (EPIPE). */
export class Output {
  private closed = false;
  readonly paint: Painter;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    color: ColorChoice,
  ) {
    this.paint = painter(useColor(color, stream.isTTY === true));
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      this.closed = true; // the reader is gone: the run still finishes (writes, --lock), silently
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true && !this.closed;
  }

  write(text: string): void {
    if (!this.closed && text) this.stream.write(redactSecrets(text));
  }
}

/** stdout and stderr for one run, with the colour choice applied to each. */
export class Console {
  readonly out: Output;
  readonly err: Output;

  constructor(color: ColorChoice) {
    this.out = new Output(process.stdout, color);
    this.err = new Output(process.stderr, color);
  }

  error(message: string): void {
    this.err.write(`${this.err.paint.red(this.err.paint.bold('error'))}: ${message}\n`);
  }

  warning(message: string): void {
    this.err.write(`${this.err.paint.yellow(this.err.paint.bold('warning'))}: ${message}\n`);
  }
}
