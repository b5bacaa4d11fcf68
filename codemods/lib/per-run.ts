// What one run computes once: an inventory and a transform often parse the same file text.
import type { MigrationContext } from '../../runner/types.js';

const parses = new WeakMap<MigrationContext, Map<string, Map<string, unknown>>>();

/** `parse(text)` once per run (the context) and kind of parse; the result must not be mutated. */
export function parseOnce<T>(ctx: MigrationContext, kind: string, text: string, parse: (text: string) => T): T {
  let byKind = parses.get(ctx);
  if (!byKind) parses.set(ctx, (byKind = new Map()));
  let byText = byKind.get(kind);
  if (!byText) byKind.set(kind, (byText = new Map()));
  if (!byText.has(text)) byText.set(text, parse(text));
  return byText.get(text) as T;
}
