// The project's own settings for a run, read from the target: `[tool.geist-codemods]` in pyproject.toml
// or `.geist-codemods.json` (both may give `exclude`, a list of globs, added to --exclude).
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './args.js';

export const CONFIG_JSON = '.geist-codemods.json';

/** The `exclude` globs the target's config files give; a malformed config is a usage error naming it. */
export async function configExcludes(root: string): Promise<string[]> {
  const found: string[] = [];
  const text = regularFileText(path.join(root, 'pyproject.toml'));
  if (text !== undefined) {
    if (text.includes('geist-codemods')) {
      // The TOML parser loads only for a pyproject that may hold the table (most runs never need it).
      const { parse: parseToml } = await import('smol-toml');
      let table: unknown;
      try {
        table = (parseToml(text) as { tool?: Record<string, unknown> }).tool?.['geist-codemods'];
      } catch (error) {
        throw new UsageError(`pyproject.toml: ${(error as Error).message.split('\n')[0]}`);
      }
      found.push(...excludes(table, 'pyproject.toml [tool.geist-codemods]'));
    }
  }
  const json = regularFileText(path.join(root, CONFIG_JSON));
  if (json !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`${CONFIG_JSON}: ${(error as Error).message}`);
    }
    found.push(...excludes(value, CONFIG_JSON));
  }
  return found;
}

/** The text of a regular file; a folder, a symlink (it may lead outside the target) or nothing: undefined. */
function regularFileText(file: string): string | undefined {
  try {
    return lstatSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function excludes(table: unknown, where: string): string[] {
  if (table === undefined) return [];
  const exclude = typeof table === 'object' && table !== null ? (table as { exclude?: unknown }).exclude : undefined;
  if (exclude === undefined) return [];
  if (!Array.isArray(exclude) || !exclude.every((e) => typeof e === 'string')) throw new UsageError(`${where}: exclude must be a list of glob strings`);
  return exclude;
}
