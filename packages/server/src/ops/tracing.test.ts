// The privacy filter of exported spans (docs/operations.md "Tracing"): whatever an
// instrumentation recorded, only the allow-listed attributes leave the process, the route
// template replaces @hono/otel's own route, and an exception keeps its type only; an aborted
// request's span has no status, as its request_aborted line has none.

import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { ABORTED_ATTRIBUTE, PrivacySpanProcessor, ROUTE_ATTRIBUTE } from './tracing.js';

describe('PrivacySpanProcessor', () => {
  it('exports allow-listed attributes, the template route and exception types only', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor(new SimpleSpanProcessor({ exporter }))],
    });
    const span = provider.getTracer('t').startSpan('GET /v1/matches/{matchId}', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://127.0.0.1/v1/matches/5d0c0d6e-0000-4000-8000-000000000001?x=secret',
        'http.route': '/*',
        'http.request.header.authorization': 'Bearer secret',
      },
    });
    span.setAttributes({
      [ROUTE_ATTRIBUTE]: '/v1/matches/{matchId}',
      'http.response.status_code': 404,
      'sluis.problem_code': 'not_found',
      'sluis.correlation_id': 'c-1',
    });
    span.recordException(new SyntaxError('Unexpected token in JSON at "999999990"'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'quoted 999999990' });
    span.end();
    await provider.forceFlush();
    const [out] = exporter.getFinishedSpans();
    expect(out?.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/v1/matches/{matchId}',
      'http.response.status_code': 404,
      'sluis.problem_code': 'not_found',
      'sluis.correlation_id': 'c-1',
    });
    expect(out?.events.map((e) => [e.name, e.attributes])).toEqual([
      ['exception', { 'exception.type': 'SyntaxError' }],
    ]);
    expect(out?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(JSON.stringify(out?.attributes)).not.toContain('999999990');
    await provider.shutdown();
  });

  it('drops the status of a request whose client went away (the placeholder nobody received) and the marker', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor(new SimpleSpanProcessor({ exporter }))],
    });
    const span = provider.getTracer('t').startSpan('POST /v1/signals', { kind: SpanKind.SERVER });
    span.setAttributes({
      'http.request.method': 'POST',
      [ROUTE_ATTRIBUTE]: '/v1/signals',
      'sluis.correlation_id': 'c-2',
      [ABORTED_ATTRIBUTE]: true,
      'http.response.status_code': 400,
    });
    span.end();
    const answered = provider.getTracer('t').startSpan('POST /v1/signals', { kind: SpanKind.SERVER });
    answered.setAttributes({ [ROUTE_ATTRIBUTE]: '/v1/signals', 'http.response.status_code': 400 });
    answered.end();
    await provider.forceFlush();
    const [aborted, other] = exporter.getFinishedSpans();
    expect(aborted?.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/v1/signals',
      'sluis.correlation_id': 'c-2',
    });
    expect(other?.attributes).toEqual({ 'http.route': '/v1/signals', 'http.response.status_code': 400 });
    await provider.shutdown();
  });
});
