// The SMTP configuration of the match notice e-mail (docs/operations.md "Match notice
// e-mail"), read from its own JSON file named by the server option `mailConfig`. The SMTP
// credentials live in a further file (mode 0600) named by `credentialsFile`, read at start
// and never logged. Invariant: a bad file stops the start with one line naming the field,
// never its value (a misplaced password must not reach a terminal or a log).

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import { caFileHint, readCaFile } from '../ops/ca-file.js';
import { readSecretText } from '../ops/key-files.js';
import { isLoopbackHost } from '../ops/loopback.js';

/**
 * 'implicit': TLS from the first byte (port 465); 'starttls': plain, then STARTTLS is
 * required (port 587; a server that does not offer it is refused); 'none': no TLS at all,
 * allowed only to a relay on this host (loopback), e.g. a local MTA.
 */
export type MailTlsMode = 'implicit' | 'starttls' | 'none';

export interface MailConfig {
  readonly host: string;
  readonly port: number;
  readonly tls: MailTlsMode;
  /** The SMTP login, when the file names credentials. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** The envelope and header sender, e.g. `sluis <noreply@gemeente.nl>`. */
  readonly from: string;
  /** The plain link in the message: the portal's base URL (no path beyond it, no query). */
  readonly portalUrl: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /**
   * PEM of the CA(s) that signed the SMTP server's certificate, when it is not signed by a
   * CA Node.js trusts by default (a municipality's own CA). Given, it replaces that list.
   */
  readonly ca?: string;
}

const FileSchema = z.strictObject({
  host: z.string().regex(/^[A-Za-z0-9.:[\]_-]{1,255}$/),
  port: z.int().min(1).max(65535),
  tls: z.enum(['implicit', 'starttls', 'none']),
  credentialsFile: z.string().min(1).max(4096).optional(),
  caFile: z.string().min(1).max(4096).optional(),
  from: z
    .string()
    .min(3)
    .max(254)
    .regex(/^[^\r\n]*@[^\r\n]*$/),
  portalUrl: z.url({ protocol: /^https?$/ }).max(2000),
  intervalSeconds: z.number().min(0.05).max(3600).default(30),
  timeoutSeconds: z.number().min(0.1).max(300).default(30),
});

const CredentialsSchema = z.strictObject({
  user: z.string().min(1).max(512),
  pass: z.string().min(1).max(4096),
});

type MailConfigError = 'mail_config_invalid' | 'mail_credentials_invalid';

const refuse = (code: MailConfigError, path: string, option: string) =>
  new ServerError(code, { path, option });

function readJson(path: string, code: MailConfigError): unknown {
  let text: string;
  if (code === 'mail_credentials_invalid') {
    // A secret: mode 0600 and owned by the server's user, as a key file (key_file_* codes).
    text = readSecretText(path);
  } else {
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw refuse(code, path, '(the file cannot be read)');
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw refuse(code, path, '(the file is not JSON)');
  }
}

/** The first issue's field path: a name, never the value (zod's message could echo it). */
const fieldOf = (e: z.ZodError) => e.issues[0]?.path.join('.') || '(the file)';

/** Reads and validates the mail configuration file (and its credentials file). */
export function loadMailConfig(path: string): MailConfig {
  const parsed = FileSchema.safeParse(readJson(path, 'mail_config_invalid'));
  if (!parsed.success) throw refuse('mail_config_invalid', path, fieldOf(parsed.error));
  const f = parsed.data;
  if (f.tls === 'none' && !isLoopbackHost(f.host)) throw refuse('mail_config_invalid', path, 'tls');
  const url = new URL(f.portalUrl);
  // A plain link to the portal only: nothing in it can carry a secret or a reference.
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw refuse('mail_config_invalid', path, 'portalUrl');
  }
  let auth: MailConfig['auth'];
  if (f.credentialsFile !== undefined) {
    const credentials = resolve(dirname(path), f.credentialsFile);
    const c = CredentialsSchema.safeParse(readJson(credentials, 'mail_credentials_invalid'));
    if (!c.success) throw refuse('mail_credentials_invalid', credentials, fieldOf(c.error));
    auth = { user: c.data.user, pass: c.data.pass };
  }
  let ca: string | undefined;
  if (f.caFile !== undefined) {
    const caPath = resolve(dirname(path), f.caFile);
    // Read as the database's CA file is (ops/ca-file.ts): certificates only, never echoed.
    const read = readCaFile(caPath);
    if (!read.ok) {
      // Both files and the problem in words, as the database's CA file is refused.
      throw new ServerError('mail_config_invalid', {
        path,
        option: 'caFile',
        file: caPath,
        hint: caFileHint(read.problem, 'SMTP'),
      });
    }
    ca = read.pem;
  }
  return {
    host: f.host,
    port: f.port,
    tls: f.tls,
    ...(auth === undefined ? {} : { auth }),
    from: f.from,
    portalUrl: url.href,
    intervalSeconds: f.intervalSeconds,
    timeoutSeconds: f.timeoutSeconds,
    ...(ca === undefined ? {} : { ca }),
  };
}
