// One writing run at a time on a directory: a lock file in it, which also holds the run's write journal
// (runner/write.ts), so a later run can undo or finish what a killed one left.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJournal, recoverJournal, type Journal } from './write.js';

export const LOCK_NAME = '.geist-codemods.lock';

export type Lock =
  | { heldBy: number; file: string }
  | { file: string; journal(j: Journal): void; release(): void; recovered?: string };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // there, but another user's
  }
}

/**
 * Take the lock on `dir`: `heldBy` when a live run has it. A lock left by a run that is gone is taken
 * over, after its journal was recovered (`recovered` says what was done). Undefined when the folder
 * cannot hold a lock file (read-only): then the writes will say what they can do.
 */
export function takeLock(dir: string): Lock | undefined {
  const file = path.join(dir, LOCK_NAME);
  let recovered: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, phase: 'staging', entries: [], dirs: [] } satisfies Journal), { flag: 'wx' });
      const release = () => {
        try {
          unlinkSync(file);
        } catch {}
      };
      // Released at exit (whatever the exit code); a killed run leaves it, and the next run recovers.
      process.once('exit', release);
      return { file, journal: (j) => writeFileSync(file, JSON.stringify(j)), release, ...(recovered ? { recovered } : {}) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return undefined;
    }
    const held = readJournal(file);
    const pid = held?.pid ?? Number.parseInt(readFileSafe(file), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) return { heldBy: pid, file };
    if (held && held.entries.length > 0) recovered = recoverJournal(held);
    try {
      unlinkSync(file);
    } catch {}
  }
  return undefined;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
