// The privacy filter of exported spans (docs/operations.md "Tracing"): whatever an
// instrumentation recorded, only the allow-listed attributes leave the process, the route
// template replaces @hono/otel's own route, and an exception keeps its type only.

import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, ROUTE_ATTRIBUTE } from './tracing.js';

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
});
