/** An error at a known place in a file. The runner prints it as `path:line:col: message`. */
export class CodemodError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly col?: number,
    /** The file the error is in, when it is not the file being transformed (an error from `finish`). */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'CodemodError';
  }
}

/** `path:line:col: message` (line and col 1-based, each only when known). */
export function formatError(path: string, error: unknown): string {
  if (error instanceof CodemodError) {
    const where = [path, error.line, error.line !== undefined ? error.col : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    return `${where}: ${error.message}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${path}: ${message}`;
}
