// One end-to-end "world": real server processes (test/support/server-process.ts), the
// municipality acting only through `sluis-server admin`, organisations acting only through
// the public SDK (`createClient`) and the `sluis` CLI. It remembers every secret it hands
// out — BSNs, client pseudonyms, keys, contact details — and collects every byte the
// server produced, so the leak proof (leak-scan.ts) can assert none of them got out.
// Invariant: only 127.0.0.1, every wait bounded.

import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClientOptions,
  type Contact,
  type InboxEvent,
  PseudonymKey,
  SigningKey,
  type SluisClient,
  base64url,
  bytesToHex,
  canonicaliseIdentifier,
  createClient,
} from '@sluis/client-sdk';
import { loadSigningKeyFile, writeSigningKeyFile } from '@sluis/client-sdk/node';
import {
  type CliResult,
  ORG_CLI,
  SERVER_CLI,
  type ServerProcess,
  type StartOptions,
  runCli,
  startServer,
} from './server-process.js';

/** The BSNs randomBsn handed out in this process (a test file): each a person of its own. */
const handedOut = new Set<string>();

/**
 * A valid random BSN (eleven test); `leadingZero` gives one whose 8-digit form is used too.
 * Never one handed out before in this test file: two draws of one number (≈ 6·10⁷ values, or
 * ≈ 8·10⁶ with a leading zero) would be one person, and match where the test expects none.
 */
export function randomBsn(leadingZero = false): string {
  for (let i = 0; i < 1000; i++) {
    // First digit 3–9 (or 0): avoids looking like timestamps/dates (17…, 20…) in the scan.
    const first = leadingZero ? 0 : randomInt(3, 10);
    const d = [first, ...Array.from({ length: 7 }, () => randomInt(0, 10))];
    const sum = d.reduce((acc, digit, k) => acc + (9 - k) * digit, 0);
    const check = sum % 11;
    if (check === 10) continue;
    const bsn = `${d.join('')}${check}`;
    if (leadingZero && bsn[1] === '0') continue;
    if (handedOut.has(bsn)) continue;
    handedOut.add(bsn);
    return bsn;
  }
  throw new Error('no BSN found');
}

/**
 * Eight digits for a contact's mobile number that are no BSN's 8-digit form (with a leading 0
 * they fail the eleven test): the leak proof looks for the 8-digit form of every BSN of the run
 * in the database, where every contact's phone is stored (leak-scan.ts).
 */
function phoneDigits(): string {
  for (;;) {
    const digits = String(randomInt(10_000_000, 100_000_000));
    const d = `0${digits}`.split('').map(Number);
    if (d.reduce((acc, digit, k) => acc + (k < 8 ? (9 - k) * digit : -digit), 0) % 11 !== 0) return digits;
  }
}

export interface Org {
  readonly id: string;
  readonly name: string;
  readonly signingKey: SigningKey;
  readonly client: SluisClient;
  /** A PEM key file (0600) for the `sluis` CLI. */
  readonly keyFile: string;
}

export interface WebhookCapture {
  readonly url: string;
  readonly headers: Record<string, string | undefined>;
  readonly body: Uint8Array;
}

export class World {
  readonly work = mkdtempSync(join(tmpdir(), 'sluis-world-'));
  /** Everything the server processes wrote (stdout + stderr), across restarts. */
  readonly serverOutput: string[] = [];
  /** Everything `sluis-server admin` printed (it prints what the server answered). */
  readonly adminOutput: string[] = [];
  /** Everything `sluis` printed — includes match responses of matched parties. */
  readonly orgCliOutput: string[] = [];
  readonly webhooks: WebhookCapture[] = [];
  readonly dataDirs = new Set<string>();
  /** Extra server-written files outside the data directories (backups). */
  readonly extraFiles: string[] = [];
  readonly bsns: string[] = [];
  readonly contacts: Contact[] = [];
  readonly signingKeys: SigningKey[] = [];
  readonly pseudonymKeyBytes = randomBytes(32);
  readonly pseudonymKeyFile = join(this.work, 'covenant-epoch-1.key');
  readonly pseudonymKey = PseudonymKey.fromBytes(this.pseudonymKeyBytes, 1);
  /** The server's test-clock offset as last reported; SDK clients sign with it. */
  offsetMs = 0;
  server!: ServerProcess;
  readonly servers: ServerProcess[] = [];
  /** Keys the world's users made or loaded for as long as the world lives (`hold`): zeroed at close. */
  readonly #held: { destroy(): void }[] = [];
  #n = 0;

  constructor() {
    writeFileSync(this.pseudonymKeyFile, `${bytesToHex(this.pseudonymKeyBytes)}\n`, { mode: 0o600 });
    chmodSync(this.pseudonymKeyFile, 0o600);
  }

  readonly clock = (): number => Date.now() + this.offsetMs;

  async start(options: Omit<StartOptions, 'sink'> = {}): Promise<ServerProcess> {
    this.server = await startServer({ ...options, sink: this.serverOutput });
    this.servers.push(this.server);
    this.dataDirs.add(this.server.dataDir);
    return this.server;
  }

  /** `sluis-server admin <args>` against the current server; `input` is standard input. */
  admin(args: readonly string[], input?: string): Promise<CliResult> {
    return runCli(
      SERVER_CLI,
      ['admin', ...args, '--server', this.server.url, '--admin-key-file', this.server.adminKeyFile],
      { ...(input === undefined ? {} : { input }), sink: this.adminOutput },
    );
  }

  /** `sluis-server admin <args>` signed with another admin key file (admin key rotation). */
  adminAs(adminKeyFile: string, args: readonly string[]): Promise<CliResult> {
    return runCli(
      SERVER_CLI,
      ['admin', ...args, '--server', this.server.url, '--admin-key-file', adminKeyFile],
      {
        sink: this.adminOutput,
      },
    );
  }

  async adminJson<T>(args: readonly string[], input?: string): Promise<T> {
    const r = await this.admin([...args, '--json'], input);
    if (r.code !== 0) throw new Error(`admin ${args[0]} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  /** GDPR through the admin CLI, the BSN typed on standard input (never a flag). */
  gdpr(action: string, bsn: string, extra: readonly string[] = []): Promise<CliResult> {
    return this.admin(
      ['gdpr', action, '--pseudonym-key-file', this.pseudonymKeyFile, '--epoch', '1', ...extra, '--json'],
      `${bsn}\n`,
    );
  }

  /** `sluis <args>` as organisation `org`. */
  orgCli(
    org: Org,
    args: readonly string[],
    input?: string,
    env: Readonly<Record<string, string>> = {},
  ): Promise<CliResult> {
    return runCli(ORG_CLI, args, {
      ...(input === undefined ? {} : { input }),
      sink: this.orgCliOutput,
      env: {
        SLUIS_SERVER_URL: this.server.url,
        SLUIS_SIGNING_KEY_FILE: org.keyFile,
        SLUIS_PSEUDONYM_KEY_FILE: this.pseudonymKeyFile,
        SLUIS_PSEUDONYM_KEY_EPOCH: '1',
        ...env,
      },
    });
  }

  async advanceClock(days: number, seconds = 0): Promise<void> {
    const r = await this.adminJson<{ now: string; offsetMs: number }>([
      'test-clock',
      '--advance-days',
      String(days),
      '--advance-seconds',
      String(seconds),
    ]);
    this.offsetMs = r.offsetMs;
  }

  bsn(leadingZero = false): string {
    const b = randomBsn(leadingZero);
    this.bsns.push(b);
    return b;
  }

  /** Contact details unique to this run, so the scan cannot confuse them with anything else. */
  contact(role = 'jeugdconsulent'): Contact {
    const n = ++this.#n;
    // Letters only: a digit run in a contact could pass the elfproef and be refused as a
    // BSN (docs/api.md "Text fields").
    const tag = randomBytes(4)
      .toString('hex')
      .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!);
    const c: Contact = {
      name: `Prof ${tag} ${n}`,
      role,
      phone: `+31 6 ${phoneDigits()}`,
      email: `p${tag}.${n}@zorg.example.nl`,
    };
    this.contacts.push(c);
    return c;
  }

  /**
   * Keeps `key` until close() zeroes it: for a key made in a beforeAll and used by every case
   * (a case's own key is caseKey's, test/support/case-keys.ts).
   */
  hold<K extends { destroy(): void }>(key: K): K {
    this.#held.push(key);
    return key;
  }

  /** The current server's admin key, loaded from its key file; zeroed at close(). */
  async adminKey(): Promise<SigningKey> {
    return this.hold(await loadSigningKeyFile(this.server.adminKeyFile));
  }

  /** The client pseudonym (base64url) of a BSN, as every organisation computes it. */
  pseudonym(bsn: string): string {
    return this.pseudonymKey.pseudonymise(canonicaliseIdentifier('bsn', bsn)).value;
  }

  /**
   * A client for an existing signing key (e.g. after a key rotation): the world's
   * pseudonymisation key, 2 retries and a 10 s timeout unless `options` says otherwise (other
   * pseudonymisers, no retries, a longer wait).
   */
  client(
    signingKey: SigningKey,
    options: Partial<Pick<ClientOptions, 'pseudonymKeys' | 'retries' | 'timeoutMs'>> = {},
  ): SluisClient {
    return createClient({
      serverUrl: this.server.url,
      signingKey,
      pseudonymKeys: [this.pseudonymKey],
      clock: this.clock,
      retries: 2,
      timeoutMs: 10_000,
      ...options,
    });
  }

  /** An organisation creates its own key; the municipality admits its PUBLIC key by CLI. */
  async organisation(name: string, type = 'youth_care', extra: readonly string[] = []): Promise<Org> {
    const signingKey = SigningKey.generate();
    this.signingKeys.push(signingKey);
    const keyFile = join(this.work, `org-${this.signingKeys.length}.pem`);
    await writeSigningKeyFile(keyFile, signingKey);
    const r = await this.adminJson<{ organisation: { id: string } }>([
      'admit-organisation',
      '--name',
      name,
      '--type',
      type,
      // `=`: a base64url key may start with '-', which parseArgs would take for an option.
      `--public-key=${base64url.encode(signingKey.publicKey)}`,
      ...extra,
    ]);
    return { id: r.organisation.id, name, signingKey, client: this.client(signingKey), keyFile };
  }

  /**
   * Every server-side key file's secret bytes: each server-secret generation, every
   * webhook signing key (rotations add webhook-signing-<n>.key) and the admin key's seed.
   */
  async serverKeys(): Promise<{ label: string; bytes: Uint8Array }[]> {
    const out: { label: string; bytes: Uint8Array }[] = [];
    for (const dir of this.dataDirs) {
      const keys = join(dir, 'keys');
      const files = readdirSync(keys).sort();
      const secrets = files.filter((f) => /^server-secret-[0-9]+\.key$/.test(f));
      if (secrets.length === 0) throw new Error('no server secret');
      for (const f of secrets) {
        const secret = base64url.decode(readFileSync(join(keys, f), 'utf8').trim());
        if (secret === undefined) throw new Error('server secret unreadable');
        out.push({ label: f.replace(/\.key$/, ''), bytes: secret });
      }
      for (const f of files.filter((x) =>
        /^(webhook-signing(-[0-9]+)?|admin|credential-issuer)\.key$/.test(x),
      )) {
        const k = await loadSigningKeyFile(join(keys, f));
        out.push({ label: `${f} seed`, bytes: k.exportSeed() });
        k.destroy();
      }
    }
    return out;
  }

  /**
   * Stops the servers, then zeroes the world's keys — the covenant key (object and bytes), every
   * signing key in `signingKeys` and every key it holds (`hold`, `adminKey`) — even when a stop
   * fails: once closed, nothing pseudonymises or signs with them (test/support/case-keys.ts).
   * Call it once the leak proof ran.
   */
  async close(): Promise<void> {
    try {
      for (const s of this.servers)
        if (s.process.exitCode === null && s.process.signalCode === null) await s.kill();
    } finally {
      this.pseudonymKey.destroy();
      this.pseudonymKeyBytes.fill(0);
      for (const k of this.signingKeys) k.destroy();
      for (const k of this.#held) k.destroy();
    }
  }
}

/** Polls `check` until it returns a value (not undefined), at most `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  ms = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every inbox event of a client from the beginning (the inbox is bounded per test). */
export async function inboxOf(client: SluisClient) {
  const out = [];
  for await (const e of client.inbox({})) out.push(e);
  return out;
}

/** Events after `from` (exclusive), as the organisation's inbox gives them. */
export async function newEvents(client: SluisClient, from: string | undefined): Promise<InboxEvent[]> {
  const out: InboxEvent[] = [];
  for await (const e of client.inbox(from === undefined ? {} : { from })) out.push(e);
  return out;
}

/** The cursor of the newest event in the organisation's inbox; undefined when it is empty. */
export const lastCursor = async (c: SluisClient) => (await inboxOf(c)).at(-1)?.cursor;
