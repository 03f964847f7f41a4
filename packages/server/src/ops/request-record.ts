// What every request leaves behind once it is answered: its log line, its count and duration in
// the metrics, and the same fields on its trace span (docs/operations.md "Logs", "Monitor",
// "Tracing"). Invariant: codes and ids only — never a value from the request; a request whose
// client went away before its body was complete (`request_aborted`) has no status anywhere.

import type { RequestLog } from '../http/exchange.js';
import type { AppOptions } from '../app-options.js';
import { loggedCode } from './logger.js';
import { ABORTED_ATTRIBUTE, ROUTE_ATTRIBUTE } from './tracing.js';

type Sinks = Pick<AppOptions, 'logger' | 'metrics' | 'tracing'>;

/** Logs, counts and annotates one finished request; `ms` is its time in the app. */
export function recordRequest(
  sinks: Sinks,
  log: RequestLog,
  method: string,
  status: number,
  ms: number,
): void {
  const { logger, metrics, tracing } = sinks;
  if (log.aborted === true) {
    // The client went away before its body was complete (http/raw-body.ts): no answer
    // reached it, so no status is counted or logged; a client's network is not a fault
    // of the server.
    metrics.observeAborted(log.route, method);
    logger.log('info', 'request_aborted', {
      route: log.route,
      method,
      durationMs: Math.round(ms * 100) / 100,
      correlationId: log.correlationId,
      requestId: log.requestId,
    });
  } else {
    metrics.observeRequest(log.route, method, status, ms / 1000);
    logger.log(status >= 500 ? 'error' : 'info', 'request', {
      route: log.route,
      method,
      status,
      durationMs: Math.round(ms * 100) / 100,
      organisationId: log.organisationId,
      adminKeyId: log.adminKeyId,
      personId: log.personId,
      correlationId: log.correlationId,
      requestId: log.requestId,
      code: loggedCode(log.code),
    });
  }
  // The same fields on the trace span, when tracing is on (ops/tracing.ts keeps only these).
  tracing?.annotate({
    [ROUTE_ATTRIBUTE]: log.route,
    'sluis.correlation_id': log.correlationId,
    ...(log.requestId === undefined ? {} : { 'sluis.request_id': log.requestId }),
    ...(log.code === undefined ? {} : { 'sluis.problem_code': log.code }),
    // No status, as the request_aborted line: the span's would be the placeholder's.
    ...(log.aborted === true ? { [ABORTED_ATTRIBUTE]: true } : {}),
  });
}
