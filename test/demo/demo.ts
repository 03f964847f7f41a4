// `pnpm demo`: the SluiS flow narrated in the terminal, in a few seconds. Starts a match
// server on a temporary database, admits three organisations through the admin API, and
// lets them act through the public SDK only (`createClient`) — so it doubles as an
// integration example. Invariant: the BSN is never printed (the output shows what each
// organisation SENDS: a shortened pseudonym), and everything is removed at the end.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Contact,
  type InboxEvent,
  PseudonymKey,
  SigningKey,
  type SluisClient,
  base64url,
  canonicaliseIdentifier,
  createClient,
  isSluisError,
} from '@sluis/client-sdk';
import { loadSigningKeyFile } from '@sluis/client-sdk/node';
import { AdminClient, createLogger, loadConfig, startServer } from '@sluis/server';

// The example BSN from the documentation: it exists only in the organisations' "case systems".
const BSN = '123456782';

const tty = process.stdout.isTTY === true;
const paint = (code: string) => (s: string) => (tty ? `\u001b[${code}m${s}\u001b[0m` : s);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const cyan = paint('36');
const say = (s = '') => process.stdout.write(`${s}\n`);
const short = (pseudonym: string) => `${pseudonym.slice(0, 6)}…${pseudonym.slice(-3)}`;
const who = (c: Contact | null) =>
  c === null
    ? 'under objection'
    : `${c.name} (${[c.role, c.phone, c.email].filter((x) => x !== undefined).join(', ')})`;

interface Actor {
  readonly label: string;
  readonly name: string;
  readonly contact: Contact;
  readonly client: SluisClient;
  cursor: string | undefined;
}

async function newEvents(a: Actor): Promise<InboxEvent[]> {
  const out: InboxEvent[] = [];
  for await (const e of a.client.inbox(a.cursor === undefined ? {} : { from: a.cursor })) out.push(e);
  if (out.length > 0) a.cursor = out.at(-1)!.cursor;
  return out;
}

async function showInbox(a: Actor): Promise<void> {
  const events = await newEvents(a);
  if (events.length === 0) {
    say(`    ${a.label} sees: ${dim('nothing')}`);
    return;
  }
  for (const e of events) {
    const m = e.match!;
    say(
      `    ${a.label} sees: ${green(e.type)} with ${bold(m.counterpart.organisationName)} — ${who(m.counterpart.contact)}`,
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'sluis-demo-'));
  const config = loadConfig({
    flags: { 'data-dir': dir, port: '0', 'retention-interval': '0' },
    env: {},
    cwd: dir,
  });
  const server = await startServer({ config, logger: createLogger({ write: () => {} }, 'error') });
  // Every key the demo makes or loads, zeroed once the server has stopped (docs/keys.md).
  const keys: { destroy(): void }[] = [];
  const hold = <K extends { destroy(): void }>(key: K): K => {
    keys.push(key);
    return key;
  };
  try {
    say(bold('sluis demo — professionals find each other without the server learning who the citizen is'));
    say(dim(`match server on ${server.url}, temporary database in ${dir}`));
    say();

    // The municipality admits three organisations; each generated its own signing key and
    // hands over only the public half.
    const admin = new AdminClient({
      baseUrl: server.url,
      key: hold(await loadSigningKeyFile(server.keys.adminKeyFile)),
    });
    const covenantBytes = crypto.getRandomValues(new Uint8Array(32));
    const covenantKey = hold(PseudonymKey.fromBytes(covenantBytes, 1));
    covenantBytes.fill(0);
    const orgs: [string, string, string, Contact][] = [
      [
        'A',
        'Jeugdzorg Rijnmond',
        'youth_care',
        { name: 'J. de Vries', role: 'jeugdconsulent', phone: '+31 10 123 4567' },
      ],
      [
        'B',
        'Basisschool De Horizon',
        'school',
        { name: 'M. Bakker', role: 'intern begeleider', email: 'm.bakker@horizon.example.nl' },
      ],
      [
        'C',
        'Huisartsenpraktijk Noord',
        'general_practice',
        { name: 'dr. S. Yilmaz', role: 'huisarts', phone: '+31 10 765 4321' },
      ],
    ];
    const actors: Actor[] = [];
    for (const [label, name, type, contact] of orgs) {
      const signingKey = hold(SigningKey.generate());
      await admin.request('POST', '/v1/admin/organisations', {
        body: { name, type, publicKeys: [base64url.encode(signingKey.publicKey)] },
      });
      const client = createClient({ serverUrl: server.url, signingKey, pseudonymKeys: [covenantKey] });
      actors.push({ label: cyan(label), name, contact, client, cursor: undefined });
      say(
        `${bold('municipality')} admits ${cyan(label)} ${name} ${dim(`(its public key, key id ${signingKey.keyId})`)}`,
      );
    }
    const [A, B, C] = actors as [Actor, Actor, Actor];
    const pseudonym = covenantKey.pseudonymise(canonicaliseIdentifier('bsn', BSN)).value;
    say(dim('All three hold the covenant pseudonym key; the server does not.'));
    say();

    const place = async (a: Actor) => {
      say(
        `    ${a.label} sends: pseudonym ${bold(short(pseudonym))} + contact ${who(a.contact)} — never the BSN`,
      );
      const r = await a.client.placeSignal({
        bsn: BSN,
        contact: a.contact,
        informed: { status: 'citizen', date: new Date().toISOString().slice(0, 10) },
      });
      say(
        `    ${a.label} gets:  ${r.outcome}, signal ${dim(r.signal.id)} ${dim('(a placement never says whether there is a match)')}`,
      );
    };

    say(bold(`1. ${A.name} is involved with a child and places a signal`));
    await place(A);
    for (const a of actors) await showInbox(a);
    say();

    say(bold(`2. ${B.name} is involved with the same child`));
    await place(B);
    for (const a of actors) await showInbox(a);
    const [matchAB] = (await A.client.matches()).items;
    say();

    say(bold(`3. ${C.name} is not involved: it sees nothing and cannot look anything up`));
    await showInbox(C);
    try {
      await C.client.getMatch(matchAB!.matchId);
    } catch (e) {
      const code = isSluisError(e) ? e.details.problemCode : 'error';
      say(
        `    ${C.label} asks for the A–B match by id → ${bold(String(code))} ${dim('(there is no search call at all)')}`,
      );
    }
    say();

    say(bold(`4. ${C.name} becomes involved and signals the child too`));
    await place(C);
    for (const a of actors) await showInbox(a);
    say();

    // What the server has: pseudonyms re-keyed with its own secret; never the BSN.
    const files = readdirSync(dir).filter((f) => f.startsWith('sluis.db'));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    const hits = [Buffer.from(BSN), Buffer.from(pseudonym), Buffer.from(pseudonym, 'base64url')].filter((n) =>
      bytes.includes(n),
    ).length;
    say(bold('What the match server stored'));
    say(
      `    ${files.join(', ')}: ${bytes.length} bytes; occurrences of the BSN or of the pseudonym sent: ${bold(String(hits))}`,
    );
    say(dim('    (it keeps HMAC(server secret, pseudonym) — a database dump alone links nothing)'));
    say();
    say(
      green(`done in ${((Date.now() - started) / 1000).toFixed(1)} s — see docs/sdk.md to integrate the SDK`),
    );
    if (hits !== 0) process.exitCode = 1;
  } finally {
    try {
      await server.close();
    } finally {
      for (const key of keys) key.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
