// A V8 code cache for the CommonJS modules of dist/ (the build makes our bundle CommonJS for this) and
// of node_modules (mvdan-sh): compiling them is most of what loading them costs, and Node 20 has no
// module.enableCompileCache.
// `npm run build` makes dist/code-cache.bin (scripts/code-cache.mjs runs the CLI with
// GEIST_CODE_CACHE=collect); a normal run reads its header at the first compile it could serve, and
// each entry when its module loads.
// GEIST_CODE_CACHE=off compiles everything as Node does.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

// Node's own modules come with code cache data made for V8's default flags, so one first loaded after
// the flags below change compiles from scratch. Those every run needs load before (crypto above too):
// the compiles of Node's modules in a NONE run ~17 -> ~7 ms.
const load = Module.createRequire(import.meta.url);
for (const builtin of ['node:child_process', 'node:os', 'node:perf_hooks']) load(builtin);
Reflect.get(load('node:util'), 'parseArgs'); // loads its module on first use

// Before anything else, and so here (the first module the CLI loads): V8's young generation keeps its
// starting size. A run keeps most of what it allocates, and growing the young generation means touching
// fresh memory, slow on small VMs (paired runs on the 2-core benchmark machine: S -20, M -38, L -31, NONE
// -23 ms; CPU -20 to -130 ms). First because V8 checks code cache data against a hash of its flags:
// every compile must see the same ones. A semi-space flag of the user's own wins.
const userFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
if (!/semi-space/.test(userFlags)) v8.setFlagsFromString('--semi-space-growth-factor=1');
// And TurboFan waits for 8 times the code run that V8 11 waits for before it optimises a function. A
// run is short: on 2 cores, V8's background threads spent ~530 ms of CPU optimising functions of a
// 1.1 s run (M), taking the CPU from the main thread and from git (with --no-opt they spent 40 ms, and
// the main thread 60 ms more). Code that stays hot, as over a big file, is still optimised. Paired runs
// (wall): M -131 ms, L -147 ms, S -31 ms, NONE 0.
if (!/interrupt-budget/.test(userFlags)) v8.setFlagsFromString('--interrupt-budget=540672');

type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;
const proto = Module.prototype as unknown as { _compile: Compile };
const nodeCompile = proto._compile;
const FILE = new URL('../code-cache.bin', import.meta.url);
// Node's own _compile runs this stub as the module (so `require`, `module`, `this` and Node's
// bookkeeping are Node's own), and the stub calls the function compiled here with the same arguments.
const STUB = `const k = Symbol.for('geist-codemods.code-cache'), f = module[k]; delete module[k]; return f.apply(this, arguments);`;
const KEY = Symbol.for('geist-codemods.code-cache');
const NODE_MODULES = `${sep}node_modules${sep}`;
const OWN = `${dirname(fileURLToPath(import.meta.url))}${sep}`; // dist/runner/, beside this file

const mode = process.env.GEIST_CODE_CACHE;
// What V8 checks cached data against, besides the source's length: its version, flags and CPU features.
const versionTag = () => v8.cachedDataVersionTag();
let entries: Map<string, () => Buffer | undefined> | undefined;
const collected = new Map<string, vm.Script>();
let hits = 0;

/** How many modules this run compiled from the code cache (for --verbose). */
export const codeCacheHits = () => hits;

// The file: a uint32 LE header length, a JSON header {tag, dir, entries: [[hash, bytes], ...]}, then the
// data. An absent or unreadable file, one for another V8 or other V8 flags (the tag), or one made in
// another directory is an empty cache: V8 (11, Node 20) gives a script from the cache the file name it
// was compiled under, so stack traces would name the other place, and its import() calls fail there.
// Each entry is read when its module loads (the whole file is 2.4 MB, 8 ms to read on the benchmark
// machine, before git could start), and the file stays open for the run.
function readCache(): Map<string, () => Buffer | undefined> {
  const map = new Map<string, () => Buffer | undefined>();
  let fd: number | undefined;
  try {
    fd = openSync(FILE, 'r');
    const read = (bytes: number, position: number) => {
      const buf = Buffer.allocUnsafe(bytes);
      if (readSync(fd!, buf, 0, bytes, position) !== bytes) throw new Error(`${FILE.pathname}: cut short`);
      return buf;
    };
    const headerBytes = read(4, 0).readUInt32LE(0);
    const header = JSON.parse(read(headerBytes, 4).toString('utf8')) as { tag: number; dir: string; entries: [string, number][] };
    if (header.tag !== versionTag() || header.dir !== OWN) {
      closeSync(fd);
      return map;
    }
    let offset = 4 + headerBytes;
    for (const [hash, bytes] of header.entries) {
      const at = offset;
      map.set(hash, () => {
        try {
          return read(bytes, at);
        } catch {
          return undefined;
        }
      });
      offset += bytes;
    }
  } catch {
    map.clear();
    if (fd !== undefined) closeSync(fd);
  }
  return map;
}

// At exit, so that the functions the run compiled lazily are in the data too.
function writeCache(): void {
  const data = [...collected].map(([hash, script]) => [hash, script.createCachedData()] as const);
  const header = Buffer.from(JSON.stringify({ tag: versionTag(), dir: OWN, entries: data.map(([hash, d]) => [hash, d.length]) }));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(header.length);
  writeFileSync(FILE, Buffer.concat([size, header, ...data.map(([, d]) => d)]));
}

// Node's own compile where a vm.Script would differ from it: a policy checks the source it compiles,
// source maps are read from it, and before Node 20.12 a script cannot import().
const usable =
  mode !== 'off' &&
  vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER !== undefined &&
  !process.sourceMapsEnabled &&
  !/--experimental-policy/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);

if (usable) {
  const collecting = mode === 'collect';
  if (collecting) process.on('exit', writeCache);
  proto._compile = function (content, filename, format) {
    const own = () => nodeCompile.call(this, content, filename, format);
    if (format === 'module' || !(filename.startsWith(OWN) || filename.includes(NODE_MODULES))) return own();
    // A script from the cache has lost what its import() calls need (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
    if (content.includes('import(')) return own();
    const cache = collecting ? undefined : (entries ??= readCache());
    if (cache?.size === 0) return own();
    const source = Module.wrap(content);
    // V8 checks only the source's length: the hash makes sure an entry applies to these exact bytes.
    const hash = createHash('sha256').update(source).digest('base64');
    const cachedData = cache?.get(hash)?.();
    if (cache && !cachedData) return own();
    let script;
    try {
      script = new vm.Script(source, {
        filename,
        columnOffset: -Module.wrap('\n').indexOf('\n'), // columns as in the file, as Node's own compile has them
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      return own(); // only when collecting: not CommonJS, Node decides what it is
    }
    if (collecting) collected.set(hash, script);
    else if (!script.cachedDataRejected) hits++;
    Object.defineProperty(this, KEY, { value: script.runInThisContext(), configurable: true });
    return nodeCompile.call(this, STUB, filename, format);
  };
}
