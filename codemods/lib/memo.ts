// A bounded memo for answers computed from a text: the same texts recur across a repository, and one
// process (the tests, a long-lived caller) may run many times, so only the latest answers are kept.

/** `memo`'s answer for `key`, computed on the first ask; once `limit` are kept, the oldest goes first. */
export function remembered<K, V>(memo: Map<K, V>, key: K, limit: number, compute: () => V): V {
  if (memo.has(key)) return memo.get(key)!;
  const value = compute();
  if (memo.size >= limit) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
  return value;
}
