// All-or-nothing writing: every new content is staged as a temporary file beside its target first;
// only when all are staged are they renamed into place, and only then are files deleted.
import { chmodSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeText, type Change } from './vfs.js';

/** The file operations used, replaceable by tests to inject faults. */
export interface WriteOps {
  writeFile(file: string, data: Buffer, mode: number): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
  mkdir(dir: string): string | undefined; // the first directory created, if any
  /** Remove a directory this run created (it held only staged files). */
  rmdir(dir: string): void;
}

export const diskOps: WriteOps = {
  writeFile(file, data, mode) {
    writeFileSync(file, data, { mode, flag: 'wx' });
    chmodSync(file, mode); // the umask may have narrowed it
  },
  rename: renameSync,
  unlink: unlinkSync,
  mkdir: (dir) => mkdirSync(dir, { recursive: true }),
  rmdir: (dir) => rmSync(dir, { recursive: true, force: true }),
};

export function applyChanges(root: string, changes: readonly Change[], ops: WriteOps = diskOps): void {
  const staged: { temp: string; target: string }[] = [];
  const madeDirs: string[] = [];
  try {
    for (const change of changes) {
      if (change.kind === 'deleted') continue;
      const target = path.join(root, change.path);
      const made = ops.mkdir(path.dirname(target));
      if (made) madeDirs.push(made);
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.geist-${process.pid}-${staged.length}.tmp`);
      ops.writeFile(temp, encodeText(change.after, change.bom, change.crlf), change.mode);
      staged.push({ temp, target });
    }
  } catch (error) {
    for (const { temp } of staged) safely(() => ops.unlink(temp));
    for (const dir of madeDirs.reverse()) safely(() => ops.rmdir(dir));
    throw error;
  }
  for (const { temp, target } of staged) ops.rename(temp, target);
  for (const change of changes) {
    if (change.kind === 'deleted') ops.unlink(path.join(root, change.path));
    if (change.kind === 'renamed' && change.from) ops.unlink(path.join(root, change.from));
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // best effort clean-up; the original error is what matters
  }
}
