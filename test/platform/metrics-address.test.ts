/** RESCIND_METRICS_ADDRESS: a host and a port, or a configuration error naming the variable. */
import { ConfigError } from '../../platform/env.js';
import { loadMetricsAddress, parseMetricsAddress } from '../../platform/metrics/address.js';
import { KNOWN_ENV_VARS } from '../../worker/config.js';

describe('RESCIND_METRICS_ADDRESS', () => {
  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['0.0.0.0:1', { host: '0.0.0.0', port: 1 }],
    ['metrics.internal:65535', { host: 'metrics.internal', port: 65535 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
  ])('reads %s', (value, expected) => {
    expect(parseMetricsAddress(value)).toEqual(expected);
    expect(loadMetricsAddress({ RESCIND_METRICS_ADDRESS: value })).toEqual(expected);
  });

  it('is off when unset or empty', () => {
    expect(loadMetricsAddress({})).toBeUndefined();
    expect(loadMetricsAddress({ RESCIND_METRICS_ADDRESS: '' })).toBeUndefined();
  });

  it.each([
    '9464',
    '127.0.0.1',
    'http://127.0.0.1:9464',
    '127.0.0.1:9464/metrics',
    '127.0.0.1:0',
    '127.0.0.1:70000',
    '::1:9464',
    ' 127.0.0.1:9464',
  ])('refuses %j with a ConfigError naming the variable and the expected form', (value) => {
    let error: unknown;
    try {
      loadMetricsAddress({ RESCIND_METRICS_ADDRESS: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `RESCIND_METRICS_ADDRESS: expected host:port, e.g. 127.0.0.1:9464 (port 1-65535, no scheme or path) (got ${JSON.stringify(value)})`,
    ]);
  });

  it('is one of the variables Rescind knows (docker-compose.yml is checked against them)', () => {
    expect(KNOWN_ENV_VARS).toContain('RESCIND_METRICS_ADDRESS');
  });
});
