// Discovery: which files the run may look at. Inside git, git's own view (fast, gitignore-exact);
// outside, globby with gitignore support.
import { execFileSync } from 'node:child_process';

/** The work tree root if `dir` is inside a git repository, else undefined. */
export function gitTopLevel(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Repository-relative paths (forward slashes) of the files under `dir`, tracked or untracked but not ignored. */
export async function discoverFiles(dir: string, inGit: boolean): Promise<string[]> {
  if (inGit) {
    const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z', '--deduplicate'], {
      cwd: dir,
      maxBuffer: 1024 * 1024 * 512,
    });
    return out.toString('utf8').split('\0').filter(Boolean).sort();
  }
  const { globby } = await import('globby');
  const found = await globby('**', {
    cwd: dir,
    dot: true,
    gitignore: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: ['**/.git/**', '**/node_modules/**'],
  });
  return found.sort();
}
