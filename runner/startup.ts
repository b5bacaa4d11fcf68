// Everything the CLI does before it loads the rest, in one place; GEIST_STARTUP=plain turns it all off
// (to compare, or should a Node misbehave with it). bench/README.md has what each part is worth.
// - Node's compile cache where the running Node has it (22.1 and later): the compiled code of our
//   chunks and of mvdan-sh is kept in Node's cache folder, so a later run, from wherever the package is
//   installed, does not compile it again. NODE_DISABLE_COMPILE_CACHE=1 is Node's own switch for it.
// - On V8 11 (Node 20) only, one V8 flag, set before any of our code compiles: TurboFan waits longer
//   before it optimises a function (its background threads otherwise take the CPU from the run and from
//   git, and a short run gains little from them). Newer V8s no longer know the flag. A budget the user
//   set (node's command line, NODE_OPTIONS) wins.
import module from 'node:module';
import v8 from 'node:v8';

const plain = process.env.GEIST_STARTUP === 'plain';

if (!plain && Number(process.versions.v8.split('.')[0]) <= 11) {
  const userFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (!/interrupt-budget/.test(userFlags)) v8.setFlagsFromString('--interrupt-budget=540672');
}

/** What enabling the compile cache gave: its status, or undefined on a Node without one (or when plain). */
export const compileCache: { status: number; message?: string } | undefined = plain
  ? undefined
  : (module as unknown as { enableCompileCache?: () => { status: number; message?: string } }).enableCompileCache?.();
