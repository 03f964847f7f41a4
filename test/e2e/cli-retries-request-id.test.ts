// `sluis signal` when its retries run out (docs/sdk.md "Errors"): the built CLI against a
// real match server that answers 503 (started in restore mode, which serves no organisation
// request), and against a real HTTP server that drops every connection (standing in for an
// unreachable one). Exit 3; stderr names the problem's code (never the server's title) and the placement's
// request id, with the advice to repeat it with --request-id — never the BSN or a pseudonym.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_CLI, runCli, type ServerProcess, startServer, tempDir } from '../support/server-process.js';

const BSN = '123456782';
/** A base64url value of a pseudonym's length (32 bytes): none may be printed. */
const PSEUDONYM_SHAPED = /[A-Za-z0-9_-]{43}/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let server: ServerProcess;
let dropping: Server;
let droppingUrl: string;
/** Answers every request with the status and body its path's last segment names (see `answers`). */
let scripted: Server;
let scriptedUrl: string;
let scriptedKey = 'name-in-title';
/**
 * What stands in front of a match server may answer anything: a 503 whose title holds a name
 * and a value, and a 201 the SDK cannot read (the placement may have arrived).
 */
const answers: Record<string, { status: number; body: string }> = {
  'name-in-title': {
    status: 503,
    body: JSON.stringify({
      code: 'unavailable',
      title: 'No capacity for Jan de Vries, call back',
      detail: BSN,
    }),
  },
  unreadable: { status: 201, body: JSON.stringify({ outcome: 'created', signal: { id: 'x' } }) },
};
let dir: string;

beforeAll(async () => {
  dir = tempDir('sluis-cli-retries-');
  server = await startServer({ args: ['--restore-mode', '--portal-dir', 'off'] });
  // Accepts each connection and closes it without an answer.
  dropping = createServer((req) => req.socket.destroy());
  await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', r));
  droppingUrl = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}`;
  scripted = createServer((req, res) => {
    const a = answers[scriptedKey]!;
    req.resume();
    req.on('end', () => res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body));
  });
  await new Promise<void>((r) => scripted.listen(0, '127.0.0.1', r));
  scriptedUrl = `http://127.0.0.1:${(scripted.address() as AddressInfo).port}`;
  for (const args of [
    ['keygen', '--out', join(dir, 'org.key')],
    ['covenant-key', 'generate', '--out', join(dir, 'covenant.key')],
  ]) {
    expect((await runCli(ORG_CLI, args)).code).toBe(0);
  }
});

afterAll(async () => {
  await server?.stop();
  await new Promise((r) => dropping?.close(r));
  await new Promise((r) => scripted?.close(r));
});

/** `sluis signal` at `url`, the BSN on standard input, two retries. */
const signal = (url: string, extra: readonly string[] = []) =>
  runCli(
    ORG_CLI,
    [
      'signal',
      '--server-url',
      url,
      '--signing-key-file',
      join(dir, 'org.key'),
      '--pseudonym-key-file',
      join(dir, 'covenant.key'),
      '--pseudonym-key-epoch',
      '1',
      '--name',
      'J. de Vries',
      '--role',
      'jeugdconsulent',
      '--email',
      'j.devries@example.nl',
      '--informed',
      'not_yet',
      '--retries',
      '2',
      ...extra,
    ],
    { input: `${BSN}\n` },
  );

describe('sluis signal when the retries run out', () => {
  it('a server answering 503: the code and the request id to repeat with', async () => {
    const r = await signal(server.url);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('server code unavailable (HTTP 503);');
    const id = new RegExp(`request id (${UUID}) \\(run again with --request-id \\1:`).exec(r.stderr);
    expect(id, r.stderr).not.toBeNull();
    expect(r.stderr + r.stdout).not.toContain(BSN);
    expect(r.stderr + r.stdout).not.toMatch(PSEUDONYM_SHAPED);
    // Three attempts reached the server, each refused in restore mode.
    expect(server.output().match(/"route":"\/v1\/signals"[^\n]*"status":503/g)).toHaveLength(3);

    // Repeated with that id (and --json): the same id, in the JSON error too.
    const again = await signal(server.url, ['--request-id', id![1]!, '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout).error).toMatchObject({
      code: 'server_error',
      problemCode: 'unavailable',
      status: 503,
      requestId: id![1],
    });
    expect(again.stderr).toContain(`request id ${id![1]} (run again with --request-id ${id![1]}:`);
    expect(again.stderr + again.stdout).not.toContain(BSN);
    expect(again.stderr + again.stdout).not.toMatch(PSEUDONYM_SHAPED);
  });

  it('no answer at all (every connection dropped): network_error and the request id', async () => {
    const r = await signal(droppingUrl);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `error: network_error: the server could not be reached; request id (${UUID}) \\(run again with --request-id \\1:`,
      ),
    );
    expect(r.stderr + r.stdout).not.toContain(BSN);
    expect(r.stderr + r.stdout).not.toMatch(PSEUDONYM_SHAPED);
  });

  it('a title or detail from whatever answered is never printed, only the code', async () => {
    scriptedKey = 'name-in-title';
    const r = await signal(scriptedUrl, ['--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error).toMatchObject({ problemCode: 'unavailable', status: 503 });
    expect(r.stderr).toContain('server code unavailable (HTTP 503);');
    for (const leaked of ['Jan de Vries', 'No capacity', BSN])
      expect(r.stderr + r.stdout).not.toContain(leaked);
  });

  it('an answer that cannot be read: response_invalid with the request id to repeat with', async () => {
    scriptedKey = 'unreadable';
    const r = await signal(scriptedUrl);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      new RegExp(`error: response_invalid: .*; request id (${UUID}) \\(run again with --request-id \\1:`),
    );
    expect(r.stderr + r.stdout).not.toContain(BSN);
    expect(r.stderr + r.stdout).not.toMatch(PSEUDONYM_SHAPED);
  });
});
