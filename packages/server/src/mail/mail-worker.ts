// Drains the engine's persisted match notice outbox over SMTP (docs/operations.md "Match
// notice e-mail"). Each notice is one message with the fixed text of match-notice.ts to the
// address the engine read from the person just now; the result is recorded in the engine,
// which owns retries and backoff, so an SMTP outage or a restart loses nothing. Every
// instance runs this worker: it claims one notice at a time (docs/engine.md "Storage
// contract", clause 5), so no notice is sent by two instances and none waits claimed
// behind a failed send.
// An attempt's result is a coarse code — smtp_unavailable, smtp_tls_failed,
// smtp_auth_failed, smtp_rejected — and the log names the notice id and that code only:
// never the address, the SMTP server's reply or the credentials. A notice deleted while it was
// in flight (its match erased) is dropped with one log line, `mail_notice_dropped`.
// Invariant: stop() returns only when no message is in flight.

import { type AttemptResult, type Engine, isEngineError, type MailToSend } from '@sluis/engine';
import { createTransport } from 'nodemailer';
import { OutboxLoop } from '../jobs/outbox-loop.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { MailConfig } from './mail-config.js';
import { matchNoticeMessage } from './match-notice.js';

/** What the worker needs of a transport (nodemailer's Mail); tests never replace it. */
interface Sender {
  sendMail(m: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
  close(): void;
}

export interface MailWorkerOptions {
  readonly engine: Engine;
  readonly config: MailConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Notices fetched per round and sent one after another over one connection. */
  readonly batchSize?: number;
}

/** The nodemailer SMTP transport for `c`: TLS verified, no file or URL access, no logging. */
export function smtpTransport(c: MailConfig): Sender {
  const timeout = Math.round(c.timeoutSeconds * 1000);
  return createTransport({
    host: c.host,
    port: c.port,
    secure: c.tls === 'implicit',
    requireTLS: c.tls === 'starttls',
    ignoreTLS: c.tls === 'none',
    ...(c.auth === undefined ? {} : { auth: { user: c.auth.user, pass: c.auth.pass } }),
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(c.ca === undefined ? {} : { ca: c.ca }) },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
}

const TLS_CODE = /CERT|SIGNATURE|SELF_SIGNED|ISSUER|^ERR_TLS_|^ERR_SSL_/;

/** A send failure as one coarse code (never the server's text, which may echo the address). */
export function smtpFailureCode(e: unknown): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const status =
    typeof e === 'object' && e !== null ? (e as { responseCode?: unknown }).responseCode : undefined;
  if (code === 'ETLS' || code === 'EREQUIRETLS') return 'smtp_tls_failed';
  // A certificate that does not verify (untrusted CA, wrong host name, expired) or a TLS
  // handshake failure arrives as a socket error carrying Node's TLS code.
  const original =
    typeof e === 'object' && e !== null ? (e as { originalCode?: unknown }).originalCode : undefined;
  if (typeof original === 'string' && TLS_CODE.test(original)) return 'smtp_tls_failed';
  if (code === 'EAUTH' || code === 'ENOAUTH') return 'smtp_auth_failed';
  if (typeof status === 'number' && status >= 400) return 'smtp_rejected';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return 'smtp_rejected';
  return 'smtp_unavailable';
}

export class MailWorker {
  readonly #o: MailWorkerOptions;
  readonly #loop: OutboxLoop;
  readonly #message;
  #sender: Sender | undefined;

  constructor(options: MailWorkerOptions) {
    this.#o = options;
    this.#message = matchNoticeMessage(options.config.portalUrl);
    this.#loop = new OutboxLoop({
      round: () => this.runOnce(),
      intervalMs: options.config.intervalSeconds * 1000,
      logger: options.logger,
      failureEvent: 'mail_round_failed',
    });
  }

  start(): void {
    this.#sender = smtpTransport(this.#o.config);
    this.#loop.start();
  }

  wake(): void {
    this.#loop.wake();
  }

  /**
   * One round: sends the due notices of one batch. Returns how many were sent; a round
   * whose first send fails ends there (the server is likely down: the rest wait for their
   * own retry instead of each timing out now).
   */
  async runOnce(): Promise<number> {
    // A claim outlasts one message's SMTP timeouts (connection, greeting, socket) and the
    // time to record the attempt.
    const leaseMs = Math.min(Math.round(this.#o.config.timeoutSeconds * 3000) + 60_000, 3_600_000);
    let ok = 0;
    while (ok < (this.#o.batchSize ?? 20)) {
      if (this.#loop.stopped && this.#sender === undefined) break;
      const [n] = await this.#o.engine.claimMailNotices(1, leaseMs);
      if (n === undefined || !(await this.#send(n))) break;
      ok++;
    }
    return ok;
  }

  async #send(n: MailToSend): Promise<boolean> {
    this.#sender ??= smtpTransport(this.#o.config);
    let result: AttemptResult;
    try {
      await this.#sender.sendMail({ from: this.#o.config.from, to: n.to, ...this.#message });
      result = { ok: true };
    } catch (e) {
      result = { ok: false, code: smtpFailureCode(e) };
    }
    this.#o.metrics.observeMail(result.ok ? 'sent' : 'failed');
    this.#o.logger.log(result.ok ? 'info' : 'warn', 'mail_notice', {
      noticeId: n.id,
      attempt: n.attempts + 1,
      result: result.ok ? 'sent' : result.code,
    });
    try {
      await this.#o.engine.recordMailAttempt(n.id, n.claim, result);
    } catch (e) {
      if (!isEngineError(e) || e.code !== 'not_found') throw e;
      // Deleted while it was being sent: its match was erased, withdrawn in error or purged
      // (docs/privacy.md, art. 17). Nothing is left to record or to retry; the round goes on.
      this.#o.logger.log('info', 'mail_notice_dropped', { noticeId: n.id, code: 'notice_deleted' });
    }
    return result.ok;
  }

  /** Stops polling and waits for the round in flight (nodemailer's own timeouts bound it). */
  async stop(graceMs = 2000): Promise<void> {
    await this.#loop.stop(graceMs, () => this.#sender?.close());
    this.#sender?.close();
    this.#sender = undefined;
  }
}
