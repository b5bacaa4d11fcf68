// Runs a TypeScript entry point of the project's own tools (the corpus harness): esbuild bundles it,
// with packages left external, into a file beside the entry, so that import.meta.dirname and package
// resolution are the source's. Usage: node scripts/run-ts.mjs ENTRY.ts [args...]
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
const outfile = path.join(path.dirname(entry), `.${path.basename(entry, '.ts')}.bundle.mjs`);
await build({ entryPoints: [entry], outfile, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
process.argv = [process.argv[0], path.resolve(entry), ...args];
await import(pathToFileURL(path.resolve(outfile)).href);
