// Everything the CLI does before it loads the rest, in one place; GEIST_STARTUP=plain turns it all off
// (to compare, or when a Node or V8 misbehaves with it).
// - V8 flags, set before any of our code compiles (on a Node built with another V8, a flag it does not
//   know is left alone): a run is short and keeps most of what it allocates, so the young generation
//   keeps its starting size (growing it touches fresh memory), and on V8 11 (Node 20) TurboFan waits
//   longer before it optimises a function (its background threads otherwise take the CPU from the run
//   and from git). A flag the user set (node's command line, NODE_OPTIONS) wins. bench/README.md has
//   the measurements.
// - Node's compile cache where the running Node has it (22.1 and later): the compiled code of our
//   chunks and of mvdan-sh is kept in Node's cache folder, so a later run, from wherever the package is
//   installed, does not compile it again. NODE_DISABLE_COMPILE_CACHE=1 is Node's own switch for it.
import module from 'node:module';
import v8 from 'node:v8';

const plain = process.env.GEIST_STARTUP === 'plain';

if (!plain) {
  const userFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (!/semi-space/.test(userFlags)) v8.setFlagsFromString('--semi-space-growth-factor=1');
  // V8 12 replaced this budget with invocation counts; V8 prints an error for a flag it does not know.
  const v8Major = Number(process.versions.v8.split('.')[0]);
  if (v8Major <= 11 && !/interrupt-budget/.test(userFlags)) v8.setFlagsFromString('--interrupt-budget=540672');
}

/** What enabling the compile cache gave: its status, or undefined on a Node without one (or when plain). */
export const compileCache: { status: number; message?: string } | undefined = plain
  ? undefined
  : (module as unknown as { enableCompileCache?: () => { status: number; message?: string } }).enableCompileCache?.();
