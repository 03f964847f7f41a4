// OpenTelemetry tracing (docs/operations.md "Tracing"): off unless an OTLP endpoint is
// configured. One server span per request from @hono/otel, exported over OTLP/HTTP (JSON) by
// the OpenTelemetry SDK. What leaves the process is the same as what the request log holds
// (docs/leakage.md §3.4): every span passes PrivacySpanProcessor, which keeps an allow-list
// of attributes — method, route template, status (none for an aborted request, whose log line
// has none), correlation id, problem code, the trusted proxy's request id — and drops everything else @hono/otel or a later instrumentation
// records, notably `url.full` (a raw path with ids and the query) and exception messages
// (a third-party message can quote input). No propagator is registered: a traceparent
// sent by a client is ignored and every request starts its own trace; the proxy's request
// id (attribute `sluis.request_id`) links a span to the proxy's log instead.

import { randomUUID } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { MiddlewareHandler } from 'hono';

/** Span attributes that may leave the process; anything else is dropped at the end of a span. */
export const EXPORTED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'sluis.correlation_id',
  'sluis.request_id',
  'sluis.problem_code',
]);

/** Where app.ts puts the route template: @hono/otel only sees its own middleware's `*`. */
export const ROUTE_ATTRIBUTE = 'sluis.route';

/**
 * Set by app.ts on a request whose client went away before its body was complete
 * (`request_aborted`): the status @hono/otel recorded is then the placeholder of a Response
 * nobody received (http/exchange.ts), and is dropped, as the log line has no status. The
 * marker itself is not exported.
 */
export const ABORTED_ATTRIBUTE = 'sluis.aborted';

export interface TracingOptions {
  /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. */
  readonly endpoint: string;
  /** Share of requests traced, 0–1. */
  readonly sampleRatio: number;
  readonly serviceVersion: string;
}

export interface Tracing {
  /** The request middleware (registered first, so the span covers the whole request). */
  readonly middleware: MiddlewareHandler;
  /**
   * Sets attributes on the request's span (app.ts, after the handler). Here rather than
   * app.ts's own `trace.getActiveSpan()`, so that a server without tracing never loads
   * @opentelemetry/api (docs/performance.md "Case 4 on a crowded machine").
   */
  annotate(attributes: Attributes): void;
  /** Flushes what is queued and stops exporting. */
  shutdown(): Promise<void>;
}

/** The exported view of a span: allow-listed attributes, exception events reduced to their type. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const attributes: Attributes = {};
  for (const [k, v] of Object.entries(span.attributes)) if (EXPORTED_ATTRIBUTES.has(k)) attributes[k] = v;
  if (span.attributes[ABORTED_ATTRIBUTE] === true) delete attributes['http.response.status_code'];
  const route = span.attributes[ROUTE_ATTRIBUTE];
  if (typeof route === 'string') attributes['http.route'] = route;
  const events = span.events
    .filter((e) => e.name === 'exception')
    .map((e) => ({
      name: e.name,
      time: e.time,
      attributes: { 'exception.type': String(e.attributes?.['exception.type'] ?? 'Error') },
      droppedAttributesCount: 0,
    }));
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext === undefined ? {} : { parentSpanContext: span.parentSpanContext }),
    startTime: span.startTime,
    endTime: span.endTime,
    // A status message could quote an error message: keep the code only.
    status: { code: span.status.code },
    attributes,
    links: [],
    events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** Hands only the redacted view of each ended span to the exporting processor. */
export class PrivacySpanProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  constructor(next: SpanProcessor) {
    this.#next = next;
  }
  onStart(_span: Span, _parent: OtelContext): void {}
  onEnd(span: ReadableSpan): void {
    this.#next.onEnd(redactSpan(span));
  }
  forceFlush(): Promise<void> {
    return this.#next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.#next.shutdown();
  }
}

/** Starts the SDK (loaded only when tracing is on) and returns the request middleware. */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [
    { context, trace },
    sdk,
    { OTLPTraceExporter },
    { AsyncLocalStorageContextManager },
    resources,
    otel,
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/resources'),
    import('@hono/otel'),
  ]);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new OTLPTraceExporter({ url: options.endpoint });
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({
      'service.name': 'sluis-server',
      'service.version': options.serviceVersion,
      'service.instance.id': randomUUID(),
    }),
    sampler: new sdk.TraceIdRatioBasedSampler(options.sampleRatio),
    spanProcessors: [
      new PrivacySpanProcessor(new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 })),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  const middleware = otel.httpInstrumentationMiddleware({
    tracerProvider: provider,
    serviceName: 'sluis-server',
    serviceVersion: options.serviceVersion,
    captureActiveRequests: false,
    // The template app.ts recorded; never the raw path.
    spanNameFactory: (c) =>
      `${c.req.method} ${(c.get('log') as { route?: string } | undefined)?.route ?? 'unmatched'}`,
  });
  return {
    middleware,
    annotate: (attributes) => trace.getActiveSpan()?.setAttributes(attributes),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
