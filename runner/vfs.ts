// The in-memory file system: every file is read at most once, codemods see each other's output,
// and nothing touches the disk until the end (see write.ts).
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { firstIndex } from '../codemods/lib/text.js';
import { matchAll } from './globs.js';
import type { VirtualFs } from '../contract/types.js';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A file over the limit is still scanned (not parsed) up to this size, to tell whether it matters. */
const MAX_SCAN_BYTES = 64 * 1024 * 1024;

/** Why a file's text is not available to codemods. */
export type Unreadable =
  | { reason: 'binary'; line: number; col: number } // where the first NUL byte is
  | { reason: 'too-large'; bytes: number; latin1?: string } // latin1: the text to test for mentions, when scanned
  | { reason: 'not-utf8'; line: number; col: number; latin1: string }
  | { reason: 'symlink'; target: string }
  | { reason: 'unreadable'; message: string };

export type Loaded = { text: string } | Unreadable;

interface Original {
  text: string | undefined; // decoded, BOM stripped, CRLF folded
  bom: boolean;
  crlf: boolean;
  mode: number;
  problem?: Unreadable;
}

interface Live {
  text: string;
  mode: number;
  origin?: string; // the discovered path this content came from (for renames)
}

// ignoreBOM: true hands the BOM through, so decodeText can see it and restore it on write.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode bytes as a codemod sees them; `bom` and `crlf` say how to restore them on write. */
export function decodeText(bytes: Buffer): { text: string; bom: boolean; crlf: boolean } {
  let text = utf8.decode(bytes);
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  // Fold CRLF only when every line ends so; mixed endings are left for the codemod to see as they are.
  const crlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
  if (crlf) text = text.replace(/\r\n/g, '\n');
  return { text, bom, crlf };
}

export function encodeText(text: string, bom: boolean, crlf: boolean): Buffer {
  const body = crlf ? text.replace(/\n/g, '\r\n') : text;
  return Buffer.from((bom ? '\ufeff' : '') + body, 'utf8');
}

/** Git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function binaryAt(bytes: Buffer): Unreadable {
  const nul = bytes.indexOf(0);
  const before = bytes.subarray(0, nul);
  let line = 1;
  for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1)) line++;
  return { reason: 'binary', line, col: nul - (before.lastIndexOf(0x0a) + 1) + 1 };
}

/** Where the first byte sequence that is not UTF-8 sits (1-based line and column). */
function firstInvalidUtf8(bytes: Buffer): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      line++;
      col = 1;
      continue;
    }
    if (b < 0x80) {
      col++;
      continue;
    }
    const width = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    const valid =
      width > 0 && i + width <= bytes.length && [...bytes.subarray(i + 1, i + width)].every((c) => (c & 0xc0) === 0x80);
    if (!valid) return { line, col };
    i += width - 1;
    col++;
  }
  return { line, col };
}

export class MemoryFs implements VirtualFs {
  private readonly originals = new Map<string, Original>();
  private readonly live = new Map<string, Live>();
  private readonly known: Set<string>;
  private submodulePaths: string[] | undefined;
  private readonly renameMap = new Map<string, string>();
  private readonly deletedSet = new Set<string>();
  /** Path -> the last codemod that created, changed, renamed or deleted it (for the file report). */
  readonly touchedBy = new Map<string, string>();
  current = '';

  private readonly realRoot: string;
  /** Folders' real paths, as checkInside found them (one realpath per folder, not per write). */
  private readonly realParents = new Map<string, string>();

  /** `preset` gives file contents directly (tests): then the disk is never read. */
  constructor(
    readonly root: string,
    discovered: readonly string[],
    private readonly preset?: ReadonlyMap<string, string>,
  ) {
    this.known = new Set(discovered);
    this.realRoot = preset ? root : realpathSync.native(root);
  }

  static fromFiles(files: Record<string, string>, root = '/virtual'): MemoryFs {
    return new MemoryFs(root, Object.keys(files), new Map(Object.entries(files)));
  }

  /** A file system of the folder `dir` (repository-relative), as its files are on disk (or preset). */
  subtree(dir: string): MemoryFs {
    const prefix = `${dir}/`;
    const paths = [...this.known].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
    if (!this.preset) return new MemoryFs(path.join(this.root, dir), paths);
    return new MemoryFs(path.posix.join(this.root, dir), paths, new Map(paths.map((p) => [p, this.preset!.get(prefix + p)!])));
  }

  /** path.join(root, rel) for a normal relative path, without normalizing the whole again (one per file read or written). */
  private absolute(rel: string): string {
    if (path.sep !== '/' || rel.startsWith('/') || NOT_NORMAL.test(rel)) return path.join(this.root, rel);
    return (this.rootPrefix ??= path.join(this.root, 'x').slice(0, -1)) + rel;
  }

  private rootPrefix: string | undefined;

  /** Read a discovered file from disk once; later calls return the cached result. */
  private original(rel: string): Original | undefined {
    const cached = this.originals.get(rel);
    if (cached) return cached;
    if (!this.known.has(rel)) return undefined;
    const abs = this.absolute(rel);
    let original: Original;
    const preset = this.preset?.get(rel);
    if (preset !== undefined) {
      const { text, bom, crlf } = decodeText(Buffer.from(preset, 'utf8'));
      original = { text, bom, crlf, mode: preset.startsWith('#!') ? 0o755 : 0o644 };
      this.originals.set(rel, original);
      this.live.set(rel, { text, mode: original.mode, origin: rel });
      return original;
    }
    try {
      const stat = lstatSync(abs);
      const mode = stat.mode & 0o7777;
      if (stat.isSymbolicLink()) {
        let target = '(a loop or missing target)';
        try {
          target = realpathSync(abs);
        } catch {}
        original = { text: undefined, bom: false, crlf: false, mode, problem: { reason: 'symlink', target } };
      } else if (!stat.isFile()) {
        return undefined;
      } else if (stat.size > MAX_FILE_BYTES) {
        const bytes = stat.size <= MAX_SCAN_BYTES ? readFileSync(abs) : undefined;
        const problem: Unreadable = bytes && looksBinary(bytes)
          ? binaryAt(bytes)
          : { reason: 'too-large', bytes: stat.size, ...(bytes ? { latin1: bytes.toString('latin1') } : {}) };
        original = { text: undefined, bom: false, crlf: false, mode, problem };
      } else {
        const bytes = readFileSync(abs);
        if (looksBinary(bytes)) {
          original = { text: undefined, bom: false, crlf: false, mode, problem: binaryAt(bytes) };
        } else {
          try {
            const { text, bom, crlf } = decodeText(bytes);
            original = { text, bom, crlf, mode };
          } catch {
            const { line, col } = firstInvalidUtf8(bytes);
            original = {
              text: undefined,
              bom: false,
              crlf: false,
              mode,
              problem: { reason: 'not-utf8', line, col, latin1: bytes.toString('latin1') },
            };
          }
        }
      }
    } catch (error) {
      // Listed by git but gone from the work tree: there is nothing to read or migrate.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      const message = error instanceof Error ? error.message : String(error);
      original = { text: undefined, bom: false, crlf: false, mode: 0o644, problem: { reason: 'unreadable', message } };
    }
    this.originals.set(rel, original);
    if (original.text !== undefined) this.live.set(rel, { text: original.text, mode: original.mode, origin: rel });
    return original;
  }

  /** A discovered file's bytes read again as Latin-1, to test an unreadable file for mentions (rarely needed, so not kept). */
  latin1(rel: string): string | undefined {
    const preset = this.preset?.get(rel);
    if (preset !== undefined) return preset;
    try {
      return readFileSync(path.join(this.root, rel)).toString('latin1');
    } catch {
      return undefined;
    }
  }

  /** The mode a discovered file has on disk (undefined for a file this run created). */
  originalMode(rel: string): number | undefined {
    return this.originals.get(rel)?.mode;
  }

  /** The current text of a file, or why there is none. */
  load(rel: string): Loaded | undefined {
    const live = this.live.get(rel);
    if (live) return { text: live.text };
    if (this.deletedSet.has(rel) || this.isRenamedAway(rel)) return undefined;
    const original = this.original(rel);
    if (!original) return undefined;
    if (original.problem) return original.problem;
    return { text: this.live.get(rel)!.text };
  }

  /**
   * The text to search for the paths a file names: its text, or, for a file that is not UTF-8 (or too
   * large to edit), its bytes as Latin-1 (a path is ASCII in either). Binary files and symlinks: none.
   */
  textToSearch(rel: string): string | undefined {
    const loaded = this.load(rel);
    return loaded === undefined ? undefined : 'text' in loaded ? loaded.text : 'latin1' in loaded ? loaded.latin1 : undefined;
  }

  private isRenamedAway(rel: string): boolean {
    return this.renameMap.has(rel) && !this.live.has(rel);
  }

  read(rel: string): string | undefined {
    const loaded = this.load(normalize(rel));
    return loaded && 'text' in loaded ? loaded.text : undefined;
  }

  /** The current text as it would be written: BOM and CRLF line ends restored. */
  written(rel: string): string | undefined {
    rel = normalize(rel);
    const text = this.read(rel);
    if (text === undefined) return undefined;
    const original = this.originals.get(this.live.get(rel)?.origin ?? rel);
    return encodeText(text, original?.bom ?? false, original?.crlf ?? false).toString('utf8');
  }

  exists(rel: string): boolean {
    rel = normalize(rel);
    if (this.live.has(rel)) return true;
    if (this.deletedSet.has(rel) || this.isRenamedAway(rel)) return false;
    return this.known.has(rel);
  }

  paths(): readonly string[] {
    // Called by every codemod and inventory (the Dockerfile codemod once a Dockerfile): cached, and handed
    // out without a copy; a create, delete or rename replaces the array, so a caller's copy stays as it was.
    if (!this.pathsCache) {
      // exists() without normalizing each path: discovered paths are normal already (20,000 calls add up);
      // before anything is deleted or renamed away, every discovered path is there.
      const untouched = this.deletedSet.size === 0 && this.renameMap.size === 0;
      const all = untouched ? [...this.known] : [...this.known].filter((p) => this.live.has(p) || (!this.deletedSet.has(p) && !this.isRenamedAway(p)));
      for (const p of this.live.keys()) if (!this.known.has(p)) all.push(p);
      this.pathsCache = all.sort(); // discovery lists in order already: a cheap sort
    }
    this.pathsShared = true;
    return this.pathsCache;
  }

  /**
   * The current paths matching any of `patterns` (picomatch, `dot: true`), sorted. Codemods ask often, so
   * each answer is kept; a created or removed path drops only the answers it matches.
   */
  matching(patterns: readonly string[]): readonly string[] {
    this.matchAhead([patterns]);
    return this.matched.get(patterns.join('\0'))!.paths;
  }

  /** Answer matching() for every list at once: one pass over the paths instead of one per list. */
  matchAhead(lists: readonly (readonly string[])[]): void {
    const todo = lists.filter((list) => !this.matched.has(list.join('\0')));
    if (todo.length === 0) return;
    const found = matchAll(this.paths(), todo);
    todo.forEach((list, i) => this.matched.set(list.join('\0'), found[i]!));
  }

  private readonly matched = new Map<string, { test: (path: string) => boolean; paths: readonly string[] }>();
  private pathsCache: string[] | undefined;
  /** paths() handed the cache out since it last changed: copy it before changing it. */
  private pathsShared = false;

  /** Keep the sorted cache of paths() in step with one created or removed path (a rebuild costs a pass over every file). */
  private cachePath(rel: string, present: boolean): void {
    for (const [key, entry] of this.matched) if (entry.test(rel)) this.matched.delete(key);
    const cache = this.pathsCache;
    if (!cache) return;
    const lo = firstIndex(cache.length, (i) => cache[i]! >= rel);
    const there = cache[lo] === rel;
    if (present === there) return;
    // Callers may be iterating over the array paths() gave them: change a copy (one per hand-out).
    const target = this.pathsShared ? cache.slice() : cache;
    this.pathsShared = false;
    if (present) target.splice(lo, 0, rel);
    else target.splice(lo, 1);
    this.pathsCache = target;
  }

  /** A discovered file not read yet: its text is what is on disk (pristine, and not isLoaded), in fewer lookups. */
  unread(rel: string): boolean {
    // Nothing is deleted, renamed or written over before it is read, save a listed file missing from disk.
    return !this.originals.has(rel) && this.known.has(rel) && !this.live.has(rel) && !this.deletedSet.has(rel);
  }

  /** Whether the file was read already (or is not on disk at all). */
  isLoaded(rel: string): boolean {
    return this.originals.has(rel) || !this.known.has(rel);
  }

  /** True when the file's current text is still exactly what is on disk under this path (or not yet read). */
  pristine(rel: string): boolean {
    if (!this.known.has(rel) || this.deletedSet.has(rel) || this.renameMap.has(rel)) return false;
    const live = this.live.get(rel);
    if (!live) return true;
    return live.origin === rel && this.originals.get(rel)?.text === live.text;
  }

  /** Where the symlink `rel` leads, repository-relative; undefined when it is no symlink or leads outside. Reads no file. */
  linkTarget(rel: string): string | undefined {
    rel = normalize(rel);
    if (this.preset || !this.known.has(rel) || this.originals.get(rel)?.text !== undefined) return undefined;
    try {
      const abs = this.absolute(rel);
      if (!lstatSync(abs).isSymbolicLink()) return undefined;
      const target = path.relative(this.realRoot, realpathSync.native(abs));
      return target === '' || target.startsWith('..') || path.isAbsolute(target) ? undefined : target.split(path.sep).join('/');
    } catch {
      return undefined; // a loop, or a missing target
    }
  }

  /** The folders `.gitmodules` names: git lists each as one entry, and what lies in them is another repository's. */
  private submodules(): string[] {
    if (!this.submodulePaths) {
      const text = this.known.has('.gitmodules') ? (this.read('.gitmodules') ?? '') : '';
      this.submodulePaths = [...text.matchAll(/^\s*path\s*=\s*"?(.*?)"?\s*$/gm)].map((m) => normalize(m[1]!)).filter(Boolean);
    }
    return this.submodulePaths;
  }

  unwritable(rel: string): string | undefined {
    rel = normalize(rel);
    if (this.live.has(rel)) return undefined;
    const original = this.original(rel);
    if (original?.problem) return original.problem.reason === 'symlink' ? 'is a symlink' : `is not a text file it can edit (${original.problem.reason})`;
    if (original || this.preset) return undefined;
    const submodule = this.submodules().find((s) => rel === s || rel.startsWith(`${s}/`));
    if (submodule) return rel === submodule ? 'is a git submodule' : `is inside the git submodule ${submodule} (another repository)`;
    // Not discovered, or listed but not a file: a folder, or a file git ignores, may be there.
    try {
      const stat = lstatSync(path.join(this.root, rel));
      if (stat.isSymbolicLink()) return 'is a symlink';
      if (stat.isDirectory()) return 'is a folder';
      return 'exists, but git ignores it (an existing file is edited, never replaced unseen)';
    } catch {
      return undefined;
    }
  }

  write(rel: string, source: string, mode?: number): void {
    rel = this.checkInside(rel);
    const existing = this.live.get(rel) ?? (this.original(rel), this.live.get(rel));
    if (existing) {
      if (existing.text !== source) this.touch(rel);
      existing.text = source;
      return;
    }
    const why = this.deletedSet.has(rel) ? undefined : this.unwritable(rel);
    if (why) throw new Error(`${rel}: ${why}; refusing to replace it`);
    this.deletedSet.delete(rel);
    this.live.set(rel, { text: source, mode: mode ?? 0o644 });
    this.cachePath(rel, true);
    this.touch(rel);
  }

  delete(rel: string): void {
    rel = this.checkInside(rel);
    this.original(rel);
    if (!this.live.has(rel)) throw new Error(`${rel}: cannot delete a file that is not there or not text`);
    this.live.delete(rel);
    if (this.known.has(rel)) this.deletedSet.add(rel);
    this.cachePath(rel, false);
    this.touch(rel);
  }

  rename(from: string, to: string): void {
    from = this.checkInside(from);
    to = this.checkInside(to);
    this.original(from);
    const entry = this.live.get(from);
    if (!entry) throw new Error(`${from}: cannot rename a file that is not there or not text`);
    if (this.exists(to)) throw new Error(`${to}: already exists, not renaming ${from} over it`);
    const why = this.deletedSet.has(to) ? undefined : this.unwritable(to);
    if (why) throw new Error(`${to}: ${why}; not renaming ${from} over it`);
    this.live.delete(from);
    this.live.set(to, entry);
    if (entry.origin) this.renameMap.set(entry.origin, to);
    // A discovered file deleted, then written again (its entry has no origin): moved away, it is gone from disk.
    else if (this.originals.get(from)?.text !== undefined) this.deletedSet.add(from);
    this.cachePath(from, false);
    this.cachePath(to, true);
    this.touch(from);
    this.touch(to);
  }

  get renames(): ReadonlyMap<string, string> {
    return this.renameMap;
  }

  get deleted(): ReadonlySet<string> {
    const deleted = new Set(this.deletedSet);
    for (const from of this.renameMap.keys()) deleted.delete(from);
    return deleted;
  }

  /** Bring back a deleted discovered file, as it was on disk. */
  restore(rel: string): void {
    const original = this.originals.get(rel);
    if (!this.deletedSet.has(rel) || original?.text === undefined) throw new Error(`${rel}: cannot restore a file that was not deleted`);
    this.deletedSet.delete(rel);
    this.live.set(rel, { text: original.text, mode: original.mode, origin: rel });
    this.cachePath(rel, true);
  }

  /** Put a file back as it was on disk (after a transform failed on it). */
  revert(rel: string): void {
    const original = this.originals.get(rel);
    const live = this.live.get(rel);
    if (original?.text !== undefined && live) live.text = original.text;
  }

  private touch(rel: string): void {
    if (this.current) this.touchedBy.set(rel, this.current);
  }

  private checkInside(rel: string): string {
    const normal = normalize(rel);
    if (normal === '' || normal.startsWith('../') || normal === '..' || path.isAbsolute(normal)) {
      throw new Error(`${rel}: outside the target directory`);
    }
    if (this.preset) return normal;
    // A path through a symlinked directory could land outside the root: refuse it.
    const parent = path.dirname(this.absolute(normal));
    try {
      let realParent = this.realParents.get(parent);
      // The libc realpath: Node's own walks the path in JS with an lstat per folder.
      if (realParent === undefined) this.realParents.set(parent, (realParent = realpathSync.native(parent)));
      if (realParent !== this.realRoot && !realParent.startsWith(this.realRoot + path.sep)) {
        throw new Error(`${rel}: its folder resolves outside the target directory`);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return normal;
  }

  /** Every difference between the disk and the in-memory view, for diffing and writing. */
  changes(): Change[] {
    const changes: Change[] = [];
    const renamedTo = new Map<string, string>();
    for (const [from, to] of this.renameMap) if (this.live.get(to)?.origin === from) renamedTo.set(to, from);
    for (const [rel, entry] of this.live) {
      const from = renamedTo.get(rel);
      const original = this.originals.get(from ?? rel);
      if (from) {
        changes.push({ kind: 'renamed', path: rel, from, before: original?.text ?? '', after: entry.text, mode: entry.mode, bom: original!.bom, crlf: original!.crlf });
      } else if (entry.origin === rel && original) {
        if (original.text !== entry.text) {
          changes.push({ kind: 'modified', path: rel, before: original.text!, after: entry.text, mode: entry.mode, bom: original.bom, crlf: original.crlf });
        }
      } else {
        changes.push({ kind: 'created', path: rel, before: '', after: entry.text, mode: entry.mode, bom: false, crlf: false });
      }
    }
    for (const rel of this.deleted) {
      // A listed file missing from disk, written and deleted again: nothing on disk to delete.
      const original = this.originals.get(rel);
      if (original === undefined) continue;
      changes.push({ kind: 'deleted', path: rel, before: original.text ?? '', after: '', mode: original.mode, bom: original.bom, crlf: original.crlf });
    }
    return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

export interface Change {
  kind: 'modified' | 'created' | 'deleted' | 'renamed';
  path: string;
  from?: string;
  before: string;
  after: string;
  mode: number;
  bom: boolean;
  crlf: boolean;
}

/** Anything normalize would change: a backslash, `//`, a `.` or `..` segment, a trailing `/`, or nothing at all. */
const NOT_NORMAL = /\\|\/\/|(?:^|\/)\.\.?(?:\/|$)|\/$|^$/;

function normalize(rel: string): string {
  // Most paths are normal already (every codemod reads and checks paths as discovered): no rebuilding.
  if (!NOT_NORMAL.test(rel)) return rel;
  return path.posix.normalize(rel.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
}
