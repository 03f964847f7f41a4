// A batch body parser for the batch worker's tests (domain/prepare-pool.test.ts), in place of
// the server's (packages/server/src/http/batch-body.ts): the body is `{ items: [...] }` with
// every item taken as a PlaceSignalInput. `{ "exit": true }` ends the worker thread as a crash
// would, `{ "spin": true }` keeps it busy until it is terminated.

export function parseBatchBody(bytes) {
  const body = JSON.parse(new TextDecoder().decode(bytes));
  if (body.exit === true) process.exit(1);
  if (body.spin === true) for (;;);
  if (!Array.isArray(body.items)) return { refused: { code: 'validation_failed', fields: ['body'] } };
  return { items: body.items.map((input) => ({ input })) };
}
