/**
 * When tracing is on (platform/tracing.ts): only with an OTLP endpoint (or an exporter handed in);
 * otherwise nothing is started and no client interceptor is added. A malformed endpoint stops the
 * process with a message naming the variable.
 */
import { ConfigError } from '../../platform/env.js';
import { activeTracing, startTracing, tracingClientInterceptors, tracingConfigured } from '../../platform/tracing.js';

it('is off without an endpoint, and with OTEL_SDK_DISABLED=true', () => {
  expect(tracingConfigured({})).toBe(false);
  expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
  expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(
    false,
  );
  expect(startTracing('rescind-test', { env: {} })).toBeUndefined();
  expect(activeTracing()).toBeUndefined();
  expect(tracingClientInterceptors({})).toBeUndefined();
});

it('is on with OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', () => {
  expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
  expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
  expect(tracingClientInterceptors({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })?.workflow).toHaveLength(1);
});

it('refuses a malformed endpoint by name', () => {
  expect(() => tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigError);
  expect(() => tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
});
