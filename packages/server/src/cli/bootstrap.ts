// First-start bootstrap of the data directory: server secret generation 1, the
// server's webhook signing key and the first admin key, each in its own 0600 file in
// a keys/ directory created 0700 (an existing directory is checked, never chmod'ed:
// ops/data-dir.ts). Invariant: no existing key file is ever overwritten (the public
// half credential-issuer.pub.json is replaced whole; webhook-signing.pub.json is ServerKeys'),
// no secret is ever printed, and the "what to do next" text is produced only by the start
// that created the files (so it is shown once).

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SigningKey } from '@sluis/client-sdk';
import { SERVER_SECRET_BYTES, ServerSecrets } from '@sluis/engine';
import { ServerError } from '../errors.js';
import { ensurePrivateDir } from '../ops/data-dir.js';
import { userName } from '../ops/file-owner.js';
import {
  loadSigningKeyFile,
  loadSymmetricKeyFile,
  publishFile,
  readSecretText,
  writeSecretFile,
  writeSigningKeyFile,
} from '../ops/key-files.js';

export const KEYS_DIR = 'keys';
export const ADMIN_KEY_FILE = 'admin.key';
export const WEBHOOK_KEY_FILE = 'webhook-signing.key';
export const METRICS_TOKEN_FILE = 'metrics.token';
/** Generation 1 of the server secret: made by the first start only, so its creation marks a new data directory. */
export const SERVER_SECRET_1 = 'server-secret-1.key';
/** Signs pseudonym-service credentials (docs/protocol.md §9.7); public half in CREDENTIAL_ISSUER_PUBLIC_FILE. */
export const CREDENTIAL_ISSUER_KEY_FILE = 'credential-issuer.key';
export const CREDENTIAL_ISSUER_PUBLIC_FILE = 'credential-issuer.pub.json';
/** What a metrics token may hold (the --metrics-token rule, cli/config-validation.ts). */
const METRICS_TOKEN_RE = /^[\x21-\x7e]{16,256}$/;
const SECRET_RE = /^server-secret-([1-9][0-9]{0,5})\.key$/;

export interface KeyMaterial {
  readonly keysDir: string;
  /** Every generation's secret; the caller destroys them when done, as it does the signing keys. */
  readonly serverSecrets: ServerSecrets;
  readonly webhookKey: SigningKey;
  /** The key that signs pseudonym-service credentials (docs/protocol.md §9.7). */
  readonly credentialIssuerKey: SigningKey | undefined;
  /** The bootstrap admin key's public half (the private half stays in its file). */
  readonly adminPublicKey: Uint8Array | undefined;
  readonly adminKeyId: string | undefined;
  readonly adminKeyFile: string;
  /** The bearer token of /metrics from keys/metrics.token, when asked for (`metricsToken`). */
  readonly metricsToken: string | undefined;
  /** Files created by this call; empty on every start after the first. */
  readonly created: readonly string[];
}

/**
 * Server-secret generation `generation` from `keysDir`, or undefined while its file is not
 * there: how a running instance takes up a generation another instance began (docs/keys.md
 * §4.2 "Several instances"). A file that is there but unreadable or malformed throws
 * (`key_file_invalid`): that is a fault to fix, not a file still on its way.
 */
export function loadServerSecretFile(keysDir: string, generation: number): Uint8Array | undefined {
  const path = join(keysDir, `server-secret-${generation}.key`);
  if (!existsSync(path)) return undefined;
  return loadSymmetricKeyFile(path, SERVER_SECRET_BYTES, SERVER_SECRET_BYTES);
}

/** Zeroes every key `keys` holds in memory: for a command done with them (retention, credential-issuer-key). */
export function destroyKeyMaterial(keys: KeyMaterial): void {
  keys.serverSecrets.destroy();
  keys.webhookKey.destroy();
  keys.credentialIssuerKey?.destroy();
}

/** credential-issuer.pub.json, published at every start (ops/key-files.ts `publishFile`). */
function writeIssuerPublic(keysDir: string, key: SigningKey): void {
  publishFile(
    join(keysDir, CREDENTIAL_ISSUER_PUBLIC_FILE),
    `${JSON.stringify({ keyId: key.keyId, publicKey: Buffer.from(key.publicKey).toString('base64url') }, null, 2)}\n`,
  );
}

/**
 * Makes keys/credential-issuer.key (0600, never over an existing file: key_file_exists) and
 * its public half; the key is returned for the caller to destroy. The first start does this
 * by itself; `sluis-server credential-issuer-key` does it on purpose, for a data directory on a
 * shared store that has none yet (docs/operations.md "High availability").
 */
export function createCredentialIssuerKey(keysDir: string): SigningKey {
  const key = SigningKey.generate();
  writeSigningKeyFile(join(keysDir, CREDENTIAL_ISSUER_KEY_FILE), key);
  writeIssuerPublic(keysDir, key);
  return key;
}

/**
 * Creates whatever is missing (unless `create` is false: the retention and backup
 * commands must never mint a server secret; `dataDirSource` then goes into their refusal),
 * then loads every key. With `sharedStore`
 * (PostgreSQL) a missing credential-issuer key is created only in a new data directory. With `metricsToken`
 * (no token configured) it also creates, when missing, and loads keys/metrics.token:
 * /metrics is never open by default (docs/operations.md "Monitor").
 */
export function bootstrapKeys(
  dataDir: string,
  options: { create?: boolean; metricsToken?: boolean; sharedStore?: boolean; dataDirSource?: string } = {},
): KeyMaterial {
  const create = options.create ?? true;
  const keysDir = join(dataDir, KEYS_DIR);
  // Where the data directory came from, so the refusal can say it was the default ./data.
  const source = options.dataDirSource === undefined ? {} : { source: options.dataDirSource };
  if (!create && !existsSync(keysDir)) {
    throw new ServerError('keys_missing', { path: keysDir, ...source });
  }
  ensurePrivateDir(dataDir);
  ensurePrivateDir(keysDir);
  const created: string[] = [];

  const generationOf = (f: string) => Number(SECRET_RE.exec(f)![1]);
  // In generation order, so what is read before a refused file does not depend on the directory's.
  const secretFiles = readdirSync(keysDir)
    .filter((f) => SECRET_RE.test(f))
    .sort((a, b) => generationOf(a) - generationOf(b));
  if (secretFiles.length === 0 && !create) {
    throw new ServerError('server_secret_missing', { path: keysDir, ...source });
  }
  if (secretFiles.length === 0) {
    const secret = randomBytes(SERVER_SECRET_BYTES);
    writeSecretFile(join(keysDir, SERVER_SECRET_1), `${secret.toString('base64url')}\n`);
    secret.fill(0);
    created.push(SERVER_SECRET_1);
    secretFiles.push(SERVER_SECRET_1);
  }
  // ServerSecrets keeps its own copies: what was read is zeroed whether or not they were taken
  // (a later generation's file unreadable, a gap in the generations).
  const secrets = new Map<number, Uint8Array>();
  let serverSecrets: ServerSecrets;
  try {
    for (const f of secretFiles) {
      secrets.set(
        generationOf(f),
        loadSymmetricKeyFile(join(keysDir, f), SERVER_SECRET_BYTES, SERVER_SECRET_BYTES),
      );
    }
    serverSecrets = new ServerSecrets(secrets);
  } finally {
    for (const s of secrets.values()) s.fill(0);
  }
  try {
    return loadOtherKeys(keysDir, serverSecrets, created, create, options);
  } catch (e) {
    // No caller gets the secrets to destroy: any refusal below zeroes them here.
    serverSecrets.destroy();
    throw e;
  }
}

/** bootstrapKeys after the server secrets: the webhook, issuer and admin keys and metrics.token. */
function loadOtherKeys(
  keysDir: string,
  serverSecrets: ServerSecrets,
  created: string[],
  create: boolean,
  options: { metricsToken?: boolean; sharedStore?: boolean },
): KeyMaterial {
  let webhookPath = join(keysDir, WEBHOOK_KEY_FILE);
  const rotated = join(keysDir, 'webhook-keys.json');
  if (!existsSync(webhookPath) && existsSync(rotated)) {
    // The first webhook key was retired after a rotation (docs/keys.md): load a live one.
    const state = JSON.parse(readFileSync(rotated, 'utf8')) as {
      keys: { file: string; retiredAt: number | null }[];
    };
    const live = state.keys.find((k) => k.retiredAt === null);
    if (live !== undefined) webhookPath = join(keysDir, live.file);
  }
  // On a shared (PostgreSQL) store only a new data directory makes one: every instance must
  // sign with the key the organisations were given, and the key is not in the store
  // (docs/operations.md "High availability"), so a missing file elsewhere is refused.
  if (
    !existsSync(webhookPath) &&
    create &&
    options.sharedStore === true &&
    !created.includes(SERVER_SECRET_1)
  ) {
    throw new ServerError('webhook_key_missing', { path: webhookPath });
  }
  if (!existsSync(webhookPath) && create) {
    const key = SigningKey.generate();
    writeSigningKeyFile(webhookPath, key);
    key.destroy();
    created.push(WEBHOOK_KEY_FILE);
  }

  // Also on an upgraded data directory (an older version had no credentials): made at the
  // first start that lacks it, like the metrics token — but on a shared (PostgreSQL) store
  // only with a new data directory. Another instance may already issue credentials under its
  // own key, and a second key would make the pseudonym service refuse this instance's
  // credentials (docs/operations.md "High availability"); the key is not in the store, so a
  // missing file there is refused rather than guessed at.
  const issuerPath = join(keysDir, CREDENTIAL_ISSUER_KEY_FILE);
  if (
    !existsSync(issuerPath) &&
    create &&
    options.sharedStore === true &&
    !created.includes(SERVER_SECRET_1)
  ) {
    throw new ServerError('credential_issuer_missing', { path: issuerPath });
  }
  if (!existsSync(issuerPath) && create) {
    createCredentialIssuerKey(keysDir).destroy();
    created.push(CREDENTIAL_ISSUER_KEY_FILE);
  }

  const adminKeyFile = join(keysDir, ADMIN_KEY_FILE);
  let adminPublicKey: Uint8Array | undefined;
  let adminKeyId: string | undefined;
  if (!existsSync(adminKeyFile) && created.includes(SERVER_SECRET_1)) {
    // Only on a fresh data directory: an operator who moved admin.key away must not get a new one.
    const key = SigningKey.generate();
    writeSigningKeyFile(adminKeyFile, key);
    adminPublicKey = key.publicKey;
    adminKeyId = key.keyId;
    key.destroy();
    created.push(ADMIN_KEY_FILE);
  } else if (existsSync(adminKeyFile)) {
    try {
      const key = loadSigningKeyFile(adminKeyFile);
      adminPublicKey = key.publicKey;
      adminKeyId = key.keyId;
      key.destroy();
    } catch {
      // The server does not need the admin key to run; the admin CLI reports a bad file.
    }
  }
  let metricsToken: string | undefined;
  if (options.metricsToken === true) {
    const path = join(keysDir, METRICS_TOKEN_FILE);
    if (!existsSync(path) && create) {
      // Also on an upgraded data directory: an older version served /metrics without one.
      writeSecretFile(path, `${randomBytes(32).toString('base64url')}\n`);
      created.push(METRICS_TOKEN_FILE);
    }
    metricsToken = readSecretText(path).trim();
    if (!METRICS_TOKEN_RE.test(metricsToken)) throw new ServerError('key_file_invalid', { path });
  }
  // The private keys are loaded last, so that a refusal above has only the server secrets to zero
  // (bootstrapKeys does); one that fails after the first is loaded zeroes what it loaded.
  // The webhook key's public half, webhook-signing.pub.json, is published by ServerKeys
  // (ops/server-keys.ts), which knows every live key and which one signs: a start publishes it
  // before the engine opens.
  const webhookKey = loadSigningKeyFile(webhookPath);
  let credentialIssuerKey: SigningKey | undefined;
  try {
    // Without `create` (backup, retention) a data directory of an older version has none.
    credentialIssuerKey = existsSync(issuerPath) ? loadSigningKeyFile(issuerPath) : undefined;
    if (credentialIssuerKey !== undefined) writeIssuerPublic(keysDir, credentialIssuerKey);
  } catch (e) {
    webhookKey.destroy();
    credentialIssuerKey?.destroy();
    throw e;
  }
  return {
    keysDir,
    serverSecrets,
    webhookKey,
    credentialIssuerKey,
    adminPublicKey,
    adminKeyId,
    adminKeyFile,
    metricsToken,
    created,
  };
}

/** The one-time "what now" text. Names files and key ids only, never a secret. */
export function bootstrapMessage(m: KeyMaterial, serverUrl: string, postgres = false): string {
  const metricsLine = [
    '  metrics.token           the bearer token /metrics requires (Authorization: Bearer <its content>);',
    '                          give it to the monitoring system (see docs/operations.md, Monitor)',
  ];
  const issuerLine = [
    '  credential-issuer.key   signs pseudonym-service credentials for people’s sessions (public half in',
    '                          credential-issuer.pub.json: the pseudonym service admits it, docs/operations.md)',
  ];
  if (!m.created.includes(SERVER_SECRET_1)) {
    // A later start that only added what an older version did not make.
    const lines = [
      ...(m.created.includes(METRICS_TOKEN_FILE) ? metricsLine : []),
      ...(m.created.includes(CREDENTIAL_ISSUER_KEY_FILE) ? issuerLine : []),
    ];
    return lines.length > 0
      ? [`sluis-server: created in ${m.keysDir} (mode 0600):`, ...lines, ''].join('\n')
      : '';
  }
  const lines = [
    'sluis-server: first start — created in ' + m.keysDir + ' (mode 0600, directory 0700):',
    '  server-secret-1.key     server secret, generation 1 (back it up apart from the database: without it',
    '                          no stored pseudonym can ever be matched again)',
    '  webhook-signing.key     the server’s webhook signing key (public half in webhook-signing.pub.json:',
    '                          give it to organisations that receive webhooks)',
  ];
  if (m.created.includes(ADMIN_KEY_FILE)) {
    lines.push(
      `  admin.key               the first admin key (key id ${m.adminKeyId}), registered as admin; its`,
      '                          public key (`sluis-server admin keys`, last column) is what the pseudonym',
      '                          service admits for GDPR requests under an OPRF epoch (docs/keys.md §4.6)',
    );
  }
  if (m.created.includes(METRICS_TOKEN_FILE)) lines.push(...metricsLine);
  if (m.created.includes(CREDENTIAL_ISSUER_KEY_FILE)) lines.push(...issuerLine);
  lines.push('', ...nextSteps(m, serverUrl, postgres));
  return lines.join('\n');
}

/**
 * How a printed command runs as the data directory's owner: `sudo -u <user> ` — nothing for
 * root, who is the owner already when the server runs as root, and nothing when unknown.
 */
export function sudoPrefix(user: string | undefined): string {
  return user === undefined || user === 'root' ? '' : `sudo -u ${user} `;
}

/**
 * The steps after the first start, shown by it and again by every later start while no
 * organisation is admitted (docs/operations.md "Start, and the first start"): paths and
 * the URL only, never a secret.
 */
export function nextSteps(m: KeyMaterial, serverUrl: string, postgres: boolean): string[] {
  // Commands on a data directory run as its owner (docs/operations.md "Install"): the user this server runs as.
  const user = process.getuid === undefined ? undefined : userName(process.getuid());
  const sudo = sudoPrefix(user);
  const dataDir = dirname(m.keysDir);
  // One recipe for every admin command: --data-dir finds <data-dir>/keys/admin.key.
  const admin = (command: string) =>
    `       ${sudo}sluis-server admin ${command} --server ${serverUrl} --data-dir ${dataDir}`;
  return [
    'Next steps:',
    `  1. Keep ${m.adminKeyFile} with the municipality’s administrator: every admin command needs`,
    '     it (on their workstation, mode 0600: --admin-key-file <file> instead of --data-dir). With it,',
    '     give the municipality its first portal administrator; signing in with a passkey needs this',
    '     server started with --webauthn-rp-id and --webauthn-origin',
    '     (docs/operations.md "Sign-in (passkeys and sessions)"). add-person prints the id invite needs:',
    `${admin('add-person')} \\`,
    '         --display-name "<their name>" --role administrator',
    `${admin('invite')} \\`,
    '         --person-id <person id>',
    '     Hand them the code in person; they create their passkey at <portal origin>/portal/#/enrol.',
    '  2. Before anyone places a signal in the portal (docs/operations.md "Pseudonym service (OPRF epochs)"),',
    '     in this order: the pseudonym service’s operator runs `sluis-pseudonym-service init`, then',
    '     `add-epoch --epoch 2` (an OPRF epoch: its number must not be one of this server’s epochs,',
    '     and epoch 1 exists here from this start) and `admit-issuer --public-key <the publicKey of',
    `     ${join(m.keysDir, 'credential-issuer.pub.json')}>\`,`,
    '     then write the printed public key into the portal’s pins file and build and install the',
    '     portal with it (deploy/install.sh --portal-pins FILE), start this server with',
    '     --portal-pseudonym-service <url>, and only then register the epoch here:',
    `${admin('register-epoch')} \\`,
    '         --epoch 2 --kind oprf --public-key <the printed public key>',
    '     Portal only (no organisation places with a covenant key)? Then, before any signal, retire',
    '     epoch 1: while it is active the portal’s GDPR desk is refused every request',
    '     (docs/operations.md "The GDPR desk in the portal", step 4):',
    `${admin('retire-epoch')} --epoch 1`,
    '  3. Ask the first organisation for its public signing key (`sluis keygen --out <file>`, the SDK’s',
    `     CLI) and admit it as ${user ?? 'the user this server runs as'}, who owns this data directory`,
    '     (or the portal administrator admits it on the portal’s Municipality screen):',
    `${admin('admit-organisation')} \\`,
    '         --name "Jeugdzorg Rijnmond" --type youth_care --public-key <their public key>',
    '     Then its first coordinator, with the id admit-organisation printed (role value',
    '     organisation_coordinator; `invite` then makes their code, as above):',
    `${admin('add-person')} \\`,
    '         --organisation-id <id> --display-name "<their name>" --role organisation_coordinator',
    '     Give the organisation its id (printed by admit-organisation) and the server URL; the pseudonym',
    '     service admits it with that id before its people can place signals in the portal',
    '     (`sluis-pseudonym-service admit … --organisation-id <id>`). An organisation that uses only',
    '     the portal needs no covenant pseudonym key; one whose own system places signals with the',
    '     SDK also gets the covenant key of every active epoch (docs/keys.md).',
    ...(postgres
      ? [
          '  4. Schedule backups of the database with PostgreSQL’s own tools (pg_basebackup with WAL',
          `     archiving, or pg_dump -Fc), and of ${m.keysDir} apart from them; copy ${m.keysDir}`,
          '     (mode 0600, owner kept) to every other instance (docs/operations.md "Back up and restore").',
        ]
      : [
          `  4. Schedule backups: ${sudo}sluis-server backup --data-dir ${dataDir} --to <file>`,
          '     (see docs/operations.md).',
        ]),
    'Not installed (pnpm start in a clone)? sluis-server is `node packages/server/bin/sluis-server.js`',
    'and sluis is `node packages/client-sdk/bin/sluis.js`, run in the clone.',
    '',
  ];
}

/** A later start's reminder while no organisation is admitted yet: the steps, without the key files. */
export function setupReminder(m: KeyMaterial, serverUrl: string, postgres: boolean): string {
  return [
    'sluis-server: no organisation is admitted yet (docs/operations.md "Admit the first organisation").',
    ...nextSteps(m, serverUrl, postgres),
  ].join('\n');
}
