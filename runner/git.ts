import { execFileSync } from 'node:child_process';
import { SAFE_GIT } from './discover.js';

/** The paths among `paths` (relative to `dir`) that have uncommitted changes: modified, staged or untracked. */
export function dirtyPaths(dir: string, paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  // The status of the whole directory, intersected below (git 2.39's status takes no pathspec file).
  const out = execFileSync('git', [...SAFE_GIT, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'], {
    cwd: dir,
    maxBuffer: 1024 * 1024 * 256,
  }).toString('utf8');
  const dirty: string[] = [];
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.length < 4) continue;
    const status = record.slice(0, 2);
    dirty.push(record.slice(3));
    if (status[0] === 'R' || status[0] === 'C') i++; // the next record is the rename's source
  }
  // Porcelain paths are relative to the repository root; ours are relative to `dir`.
  const prefix = execFileSync('git', [...SAFE_GIT, 'rev-parse', '--show-prefix'], { cwd: dir, encoding: 'utf8' }).trim();
  const dirtySet = new Set(dirty);
  return paths.filter((p) => dirtySet.has(prefix + p));
}
