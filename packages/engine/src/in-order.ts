// Awaits calls made together and fails as the first of them would have failed alone. On
// PostgreSQL, statements sent without waiting for each other's answers are pipelined on the
// write's connection and run in the order sent; the statements behind a failed one are
// answered "transaction aborted" (25P02), which must not hide the cause. On SQLite the calls
// ran in the order made. Either way the error that counts is the first one in call order.

export async function inOrder<T extends readonly unknown[]>(
  made: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(made);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
