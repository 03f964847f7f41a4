// Starts and stops the real SMTP server process of the end-to-end tests (smtp-child.mjs,
// the `smtp-server` package) and reads what it received. No mock: the sluis server talks
// SMTP over a loopback socket to another process, which writes each raw message to disk.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, 'smtp-child.mjs');

export interface ReceivedMail {
  readonly user: string | null;
  readonly from: string | null;
  readonly to: readonly string[];
  /** The exact bytes received (headers and body, as sent on the wire). */
  readonly raw: Buffer;
}

export interface SmtpProcess {
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export async function startSmtp(port: number, user: string, pass: string, dir: string): Promise<SmtpProcess> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [CHILD, String(port), user, pass, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: import.meta.dirname,
  });
  let out = '';
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const bound = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smtp server did not start: ${out}`)), 15_000);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`smtp server exited: ${out}`)));
  });
  return {
    port: bound,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every message the SMTP server process wrote to `dir`, in arrival order. */
export function receivedMail(dir: string): ReceivedMail[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return files.map((f) => {
    const m = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<ReceivedMail, 'raw'> & { raw: string };
    return { ...m, raw: Buffer.from(m.raw, 'base64') };
  });
}

/**
 * Every reading of a raw message a reader (or a leak) could see: the bytes as text, each
 * base64 run decoded, the whole decoded as quoted-printable, and each long hex run decoded.
 */
export function readingsOf(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const out = [text, raw.toString('utf8')];
  for (const m of text.matchAll(/(?:[A-Za-z0-9+/]{4}\r?\n?){4,}(?:[A-Za-z0-9+/]{2,4}={0,2})?/g)) {
    out.push(Buffer.from(m[0].replace(/\s+/g, ''), 'base64').toString('utf8'));
  }
  out.push(
    Buffer.from(
      text
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8'),
  );
  for (const m of text.matchAll(/[0-9A-Fa-f]{16,}/g)) {
    if (m[0].length % 2 === 0) out.push(Buffer.from(m[0], 'hex').toString('latin1'));
  }
  return out;
}

/**
 * Needles as they could appear in a raw message without being decoded first: the value
 * itself (any case), and its base64 (three alignments), quoted-printable and hex forms.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>([value, value.toLowerCase(), value.toUpperCase()]);
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Drop the characters that depend on the padding bytes or on what follows.
    const start = Math.ceil((shift * 4) / 3) + (shift === 0 ? 0 : 1);
    const core = b64.slice(start, b64.length - 4);
    if (core.length >= 8) forms.add(core);
  }
  forms.add(bytes.toString('hex'));
  forms.add(bytes.toString('hex').toUpperCase());
  forms.add([...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  return [...forms];
}
