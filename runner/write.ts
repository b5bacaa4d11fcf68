// All-or-nothing writing, as a transaction:
// 1. stage: every new content is written to a temporary file beside its target (owner and mode of the
//    file it replaces); a failure removes them and nothing has changed;
// 2. commit: each original is kept (a hard link, or moved aside for a deletion) before a rename puts the
//    new content in place; deletions come only after every rename succeeded; a failure puts every
//    original back;
// 3. clean up: the kept originals go.
// A journal (the run's lock file) lists every temporary and kept file, so a later run can undo or finish
// what a killed one left (`recoverJournal`).
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
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
  /** A second name for a file (the kept original). */
  link(existing: string, name: string): void;
  lstat(file: string): Stats | undefined;
  chown(file: string, uid: number, gid: number): void;
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
  link: linkSync,
  lstat: (file) => {
    try {
      return lstatSync(file);
    } catch {
      return undefined;
    }
  },
  chown: chownSync,
};

/** A write that failed; `message` says exactly what state the tree is in. */
export class WriteError extends Error {}

/** What the journal records: enough to undo or finish a run that was killed. */
export interface Journal {
  pid: number;
  phase: 'staging' | 'committing' | 'cleaning';
  /**
   * `write`: new content staged at `temp` goes to `target`, an existing original is kept at `kept` first;
   * `remove`: `target` (deleted, or the old name of a renamed file) is moved to `kept`.
   */
  entries: { kind: 'write' | 'remove'; target: string; temp?: string; kept: string }[];
  dirs: string[];
}

const tempName = (target: string, n: number, suffix: 'tmp' | 'orig') =>
  path.join(path.dirname(target), `.${path.basename(target)}.geist-${process.pid}-${n}.${suffix}`);

/**
 * Write `changes` under `root`. `journal(j)` is called before each phase with what a later run needs to
 * undo or finish it (the CLI keeps it in its lock file).
 */
export function applyChanges(root: string, changes: readonly Change[], ops: WriteOps = diskOps, journal: (j: Journal) => void = () => {}): void {
  const writes = changes.filter((c) => c.kind !== 'deleted');
  const removals = changes.flatMap((c) => (c.kind === 'deleted' ? [c.path] : c.kind === 'renamed' && c.from ? [c.from] : []));
  const entries: Journal['entries'] = [
    ...writes.map((c, n) => {
      const target = path.join(root, c.path);
      return { kind: 'write' as const, target, temp: tempName(target, n, 'tmp'), kept: tempName(target, n, 'orig') };
    }),
    ...removals.map((rel, n) => {
      const target = path.join(root, rel);
      return { kind: 'remove' as const, target, kept: tempName(target, writes.length + n, 'orig') };
    }),
  ];
  const dirs: string[] = [];
  const record = (phase: Journal['phase']) => journal({ pid: process.pid, phase, entries, dirs });

  // 1. Stage.
  record('staging');
  try {
    writes.forEach((change, n) => {
      const entry = entries[n]!;
      const made = ops.mkdir(path.dirname(entry.target));
      if (made) dirs.push(made);
      ops.writeFile(entry.temp!, encodeText(change.after, change.bom, change.crlf), change.mode);
      // The file it replaces (for a rename, the file it was) keeps its owner, also when root runs this.
      const original = ops.lstat(change.from ? path.join(root, change.from) : entry.target);
      if (original && (original.uid !== process.getuid?.() || original.gid !== process.getgid?.())) ops.chown(entry.temp!, original.uid, original.gid);
    });
  } catch (error) {
    for (const e of entries) if (e.temp) safely(() => ops.unlink(e.temp!));
    for (const dir of [...dirs].reverse()) safely(() => ops.rmdir(dir));
    throw new WriteError(`nothing was written: ${(error as Error).message}`);
  }

  // 2. Commit: every original kept before it is replaced or removed; removals after every write.
  record('committing');
  try {
    for (const entry of entries) {
      const there = ops.lstat(entry.target);
      if (entry.kind === 'remove') {
        ops.rename(entry.target, entry.kept);
        continue;
      }
      if (there && !there.isFile()) throw new Error(`${path.relative(root, entry.target)} is ${there.isDirectory() ? 'a folder' : 'not a regular file'}`);
      if (there) ops.link(entry.target, entry.kept);
      ops.rename(entry.temp!, entry.target);
    }
  } catch (error) {
    const failures = rollBack({ pid: process.pid, phase: 'committing', entries, dirs }, ops);
    const cause = (error as Error).message;
    if (failures.length === 0) throw new WriteError(`nothing was written: ${cause} (every file already replaced was put back)`);
    throw new WriteError(
      `writing failed: ${cause}; putting back the originals failed too, so these are in an unknown state: ${failures.map((f) => path.relative(root, f)).join(', ')} (each original is beside it as .NAME.geist-${process.pid}-N.orig)`,
    );
  }

  // 3. Clean up the kept originals.
  record('cleaning');
  const left: string[] = [];
  for (const entry of entries) {
    if (!ops.lstat(entry.kept)) continue;
    try {
      ops.unlink(entry.kept);
    } catch {
      left.push(path.relative(root, entry.kept));
    }
  }
  if (left.length > 0) throw new WriteError(`every change was written, but these copies of the originals could not be removed: ${left.join(', ')}`);
}

/**
 * Undo a commit, judging each entry by what is on disk: a staged file still there was never committed
 * (removed, with its kept link); a kept original goes back over the new content; a write with neither
 * created its target (removed). Returns the targets it could not put back.
 */
function rollBack(journal: Journal, ops: WriteOps): string[] {
  const failures: string[] = [];
  for (const entry of [...journal.entries].reverse()) {
    try {
      const kept = ops.lstat(entry.kept) !== undefined;
      if (entry.kind === 'remove') {
        if (kept) ops.rename(entry.kept, entry.target);
      } else if (entry.temp && ops.lstat(entry.temp)) {
        ops.unlink(entry.temp);
        if (kept) ops.unlink(entry.kept);
      } else if (kept) {
        ops.rename(entry.kept, entry.target);
      } else if (ops.lstat(entry.target)) {
        ops.unlink(entry.target);
      }
    } catch {
      failures.push(entry.target);
    }
  }
  for (const dir of [...journal.dirs].reverse()) safely(() => ops.rmdir(dir));
  return failures;
}

/**
 * Undo or finish what a killed run left, from its journal: while staging, its staged files go; while
 * committing, every original goes back; while cleaning, the kept originals go. Returns what it did.
 */
export function recoverJournal(journal: Journal, ops: WriteOps = diskOps): string {
  const who = `a previous run (pid ${journal.pid}) was stopped`;
  if (journal.phase === 'committing') {
    const failures = rollBack(journal, ops);
    return failures.length === 0
      ? `${who} while writing: every file it had changed was put back`
      : `${who} while writing; these could not be put back: ${failures.join(', ')}`;
  }
  for (const e of journal.entries) {
    for (const file of journal.phase === 'staging' ? [e.temp] : [e.kept]) if (file && ops.lstat(file)) safely(() => ops.unlink(file));
  }
  if (journal.phase === 'staging') for (const dir of [...journal.dirs].reverse()) safely(() => ops.rmdir(dir));
  return journal.phase === 'staging'
    ? `${who} before writing anything: its temporary files were removed`
    : `${who} after writing every change: the copies of the originals it kept were removed`;
}

/** Read a journal written by `applyChanges` (through the CLI's lock file). */
export function readJournal(file: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
    return typeof j.pid === 'number' && Array.isArray(j.entries) ? j : undefined;
  } catch {
    return undefined;
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // best effort clean-up; the original error is what matters
  }
}
