// The CA file reader (docs/operations.md "PostgreSQL", TLS; "Match notice e-mail", caFile):
// each refusal, with its reason grounded in a real connection — a throwaway PKI made with the
// openssl CLI, a local `tls.createServer`, and `tls.connect` with the file as its only CA, as
// postgres.js and nodemailer connect: a file refused at start is one no connection verifies
// through, a file accepted (a self-signed server certificate as its own CA, a bundle with an
// expired CA beside the valid one) connects. Also: the file is read from the descriptor it was
// opened as (the path swapped for a key file right after the open feeds nothing of the key), a
// FIFO is refused without a writer (read in a child process, so a read that waited would fail
// the case at its timeout instead of blocking the file), the other private key forms, and no
// refusal carries the file's content. Skipped with the reason printed when the openssl CLI is
// missing (a failure under CI=true).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs, { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect, createServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { ROOT } from '../../../../test/support/server-process.js';
import { type CaFileProblem, readCaFile } from './ca-file.js';
import { loadMailConfig } from '../mail/mail-config.js';

const opensslFound = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!opensslFound) {
  if (process.env.CI === 'true')
    throw new Error('the CA file tests need the openssl CLI (apt-get install openssl)');
  console.warn('skipping the CA file tests: no openssl CLI (apt-get install openssl)');
}

const dir = mkdtempSync(join(tmpdir(), 'sluis-ca-file-'));
const pki = join(dir, 'pki');
const at = (name: string) => join(pki, name);
const text = (name: string) => readFileSync(at(name), 'utf8');

// `openssl ca` sets any validity period (x509 -days cannot make one that has ended).
const CONFIG = `[ca]
default_ca = d
[d]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
policy = p
default_md = sha256
unique_subject = no
[p]
commonName = supplied
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
`;
const NOW = ['20200101000000Z', '20990101000000Z'] as const;
const ENDED = ['20200101000000Z', '20210101000000Z'] as const;
const FUTURE = ['20900101000000Z', '20990101000000Z'] as const;

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: pki, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `name`.key and `name`.pem: signed by `issuer`, or self-signed; a CA (`root`) or a server's (`leaf`, localhost). */
function certificate(name: string, kind: 'root' | 'leaf', dates: readonly [string, string], issuer?: string) {
  openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${kind === 'leaf' ? 'localhost' : name}`,
    ]),
  );
  const signer =
    issuer === undefined
      ? ['-selfsign', '-keyfile', `${name}.key`]
      : ['-cert', `${issuer}.pem`, '-keyfile', `${issuer}.key`];
  openssl(
    [
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      ...signer,
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      '-notext',
    ].concat(['-startdate', dates[0], '-enddate', dates[1], '-extensions', kind]),
  );
}

beforeAll(() => {
  if (!opensslFound) return;
  mkdirSync(pki);
  writeFileSync(at('ca.cnf'), CONFIG);
  writeFileSync(at('index.txt'), '');
  writeFileSync(at('serial'), '01\n');
  certificate('root', 'root', NOW);
  certificate('server', 'leaf', NOW, 'root');
  certificate('ended', 'root', ENDED);
  certificate('server-of-ended', 'leaf', NOW, 'ended');
  certificate('future', 'root', FUTURE);
  certificate('server-of-future', 'leaf', NOW, 'future');
  certificate('intermediate', 'root', NOW, 'root');
  certificate('server-of-intermediate', 'leaf', NOW, 'intermediate');
  certificate('self', 'leaf', NOW);
}, 60_000);

const servers: ReturnType<typeof createServer>[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

/** Whether a client with `caPem` as its only CA verifies the server presenting `chain` for localhost. */
async function connects(chain: readonly string[], key: string, caPem: string): Promise<true | string> {
  const server = createServer({ key: text(key), cert: chain.map(text).join('') }, (s) => s.end());
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', servername: 'localhost', port, ca: caPem }, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A child process's program: readCaFile of its argument, the answer as JSON on stdout. */
const READ_CA_FILE = `import { readCaFile } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'ca-file.ts')).href)};
process.stdout.write(JSON.stringify(readCaFile(process.argv[1])));`;

const problem = (path: string): CaFileProblem | 'ok' => {
  const r = readCaFile(path);
  return r.ok ? 'ok' : r.problem;
};

describe.runIf(opensslFound)('refused at start exactly when no connection would verify', () => {
  it('a root CA valid now: accepted, and it connects', async () => {
    expect(problem(at('root.pem'))).toBe('ok');
    expect(await connects(['server.pem'], 'server.key', text('root.pem'))).toBe(true);
  });

  it('an expired root, or one not yet valid: refused (expired), and it fails at the connection', async () => {
    expect(problem(at('ended.pem'))).toBe('expired');
    expect(await connects(['server-of-ended.pem'], 'server-of-ended.key', text('ended.pem'))).toBe(
      'CERT_HAS_EXPIRED',
    );
    expect(problem(at('future.pem'))).toBe('expired');
    expect(await connects(['server-of-future.pem'], 'server-of-future.key', text('future.pem'))).toBe(
      'CERT_NOT_YET_VALID',
    );
    // A valid certificate beside an expired root does not make the root usable.
    const both = file('ended-and-server.pem', text('ended.pem') + text('server-of-ended.pem'));
    expect(problem(both)).toBe('expired');
  });

  it('a bundle with an expired root beside a valid one: accepted, and the valid one connects', async () => {
    const bundle = file('bundle.pem', text('ended.pem') + text('root.pem'));
    expect(problem(bundle)).toBe('ok');
    expect(await connects(['server.pem'], 'server.key', readFileSync(bundle, 'utf8'))).toBe(true);
  });

  it("the server's own certificate, signed by a CA: refused (no_root), and it fails at the connection", async () => {
    expect(problem(at('server.pem'))).toBe('no_root');
    expect(await connects(['server.pem'], 'server.key', text('server.pem'))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    expect(await connects(['server.pem', 'root.pem'], 'server.key', text('server.pem'))).toBe(
      'SELF_SIGNED_CERT_IN_CHAIN',
    );
  });

  it("an intermediate CA's certificate alone: refused (no_root), and it fails even when the server sends it", async () => {
    expect(problem(at('intermediate.pem'))).toBe('no_root');
    const chain = ['server-of-intermediate.pem', 'intermediate.pem'];
    expect(await connects(chain, 'server-of-intermediate.key', text('intermediate.pem'))).toBe(
      'UNABLE_TO_GET_ISSUER_CERT',
    );
    // With its root it is accepted, and connects.
    const withRoot = file('intermediate-and-root.pem', text('intermediate.pem') + text('root.pem'));
    expect(problem(withRoot)).toBe('ok');
    expect(await connects(chain, 'server-of-intermediate.key', readFileSync(withRoot, 'utf8'))).toBe(true);
  });

  it('a self-signed server certificate (CA:FALSE) as its own CA: accepted, and it connects', async () => {
    expect(problem(at('self.pem'))).toBe('ok');
    expect(await connects(['self.pem'], 'self.key', text('self.pem'))).toBe(true);
  });

  it('a certificate whose key OpenSSL cannot decode, beside a valid root: accepted, and it connects', async () => {
    // self.pem with the last byte of its P-256 point changed: the point is off the curve, so
    // the certificate parses but its key does not (publicKey throws ERR_OSSL_EVP_DECODE_ERROR).
    const der = Buffer.from(text('self.pem').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const point = der.indexOf(Buffer.from('06082a8648ce3d03010703420004', 'hex')) + 14;
    expect(point).toBeGreaterThan(14);
    der[point + 63]! ^= 0x01;
    const lines = der
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n');
    const damaged = `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
    expect(() => new X509Certificate(damaged).publicKey).toThrow(
      expect.objectContaining({ code: 'ERR_OSSL_EVP_DECODE_ERROR' }),
    );
    const bundle = file('damaged-and-root.pem', damaged + text('root.pem'));
    expect(problem(bundle)).toBe('ok');
    expect(await connects(['server.pem'], 'server.key', readFileSync(bundle, 'utf8'))).toBe(true);
    // Alone it is no root, and a refusal, not an unexpected error.
    expect(problem(file('damaged.pem', damaged))).toBe('no_root');
  });

  it.runIf(process.platform !== 'win32')(
    'read from the descriptor it opened: the path swapped for a key file right after the open feeds nothing of it',
    () => {
      // ca-file.ts opens the file once and checks and reads that descriptor, so a swap between
      // the check and the read cannot feed another file (docs/operations.md "PostgreSQL"). The
      // swap is made deterministic by node:fs's own openSync (no hook in the product code):
      // right after it returns the descriptor, a private key file is renamed over the path. A
      // read that opened the path again would find the key (private_key, or unreadable when it
      // opened twice); a check of the path without opening it would make no swap at all.
      const path = file('swapped.pem', text('root.pem'));
      const key = file('swap-in.pem', text('server.key'));
      const openSync = fs.openSync;
      const opened: unknown[] = [];
      const spy = vi.spyOn(fs, 'openSync').mockImplementation(((...args: Parameters<typeof openSync>) => {
        const fd = Reflect.apply(openSync, fs, args);
        opened.push(args[0]);
        if (args[0] === path) renameSync(key, path);
        return fd;
      }) as typeof openSync);
      // The named exports (what ca-file.ts imports) follow the module object.
      syncBuiltinESMExports();
      let read: ReturnType<typeof readCaFile>;
      try {
        read = readCaFile(path);
      } finally {
        spy.mockRestore();
        syncBuiltinESMExports();
      }
      expect(opened).toEqual([path]);
      expect(read).toEqual({ ok: true, pem: text('root.pem') });
      // The path now names the key file, which a read of the path is refused for.
      expect(readFileSync(path, 'utf8')).toBe(text('server.key'));
      expect(problem(path)).toBe('private_key');
    },
  );

  it('the mail caFile is read the same way, naming the problem and never the content', () => {
    const config = file(
      'mail.json',
      JSON.stringify({
        host: 'smtp.example.nl',
        port: 465,
        tls: 'implicit',
        caFile: at('server.pem'),
        from: 'a@b.nl',
        portalUrl: 'https://p.example/',
      }),
    );
    let message = '';
    try {
      loadMailConfig(config);
    } catch (e) {
      message = (e as Error).message;
    }
    // Both files, and the problem in words as the database's CA file is refused.
    expect(message).toBe(
      `invalid mail configuration ${config}: caFile ${at('server.pem')} holds no self-signed (root) certificate, so no connection would verify: give the root CA's certificate (with its intermediates if you like), not the server's own certificate or an intermediate's alone`,
    );
    expect(message).not.toContain('BEGIN');
  });
});

describe('the file itself', () => {
  const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it.each([
    ['PKCS #8', '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n'],
    [
      'encrypted PKCS #8',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END ENCRYPTED PRIVATE KEY-----\n',
    ],
    ['RSA', '-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END RSA PRIVATE KEY-----\n'],
    ['EC', '-----BEGIN EC PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END EC PRIVATE KEY-----\n'],
    [
      'OpenSSH',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END OPENSSH PRIVATE KEY-----\n',
    ],
    [
      'OpenPGP',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PGP PRIVATE KEY BLOCK-----\n',
    ],
    [
      'PuTTY',
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\nc2VjcmV0LWtleS1ieXRlcw==\n',
    ],
  ])('a %s private key is refused (private_key), beside a certificate too', (_, key) => {
    expect(problem(file('key.pem', key))).toBe('private_key');
    expect(problem(file('cert-and-key.pem', CERT + key))).toBe('private_key');
  });

  it('no certificate, a malformed one, a directory, a missing file', () => {
    expect(problem(file('empty.pem', 'nothing here'))).toBe('no_certificate');
    expect(problem(file('malformed.pem', CERT))).toBe('malformed_certificate');
    expect(problem(dir)).toBe('unreadable');
    expect(problem(join(dir, 'nowhere.pem'))).toBe('unreadable');
    expect(problem(file('big.pem', 'x'.repeat(4 * 1024 * 1024 + 1)))).toBe('unreadable');
  });

  it.runIf(process.platform !== 'win32')(
    'a FIFO is refused without a writer (a read that waited fails the case at its timeout)',
    async () => {
      const fifo = join(dir, 'ca.fifo');
      execFileSync('mkfifo', [fifo]);
      // Nothing here opens the FIFO, so no writer ever comes: the case waits for the child's
      // answer, not for a time. A read that waited for a writer blocks the child, never this
      // process, and the case fails at its timeout (the child killed then).
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', READ_CA_FILE, fifo],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ ok: false, problem: 'unreadable' });
    },
  );

  it('a refusal is a problem code: the content of the file is in no field', () => {
    const secret = 'c2VjcmV0LWtleS1ieXRlcw==';
    for (const content of [
      `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`,
      `-----BEGIN CERTIFICATE-----\n${secret}\n-----END CERTIFICATE-----\n`,
      secret,
    ]) {
      const r = readCaFile(file('leak.pem', content));
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r)).not.toContain(secret);
    }
  });
});
