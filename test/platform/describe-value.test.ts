/**
 * A configuration error shows what was given without the database password, however the URL is
 * mangled: the masking parses leniently instead of matching only well-formed URLs.
 */
import { describeValue } from '../../platform/env.js';
import { ConfigError, loadConfig } from '../../worker/config.js';

const PASSWORD = 'S3cret';

describe('describeValue hides a password in a URL-like value', () => {
  it.each([
    ['well formed', 'postgres://r:S3cret@h/d'],
    ['a leading space', ' postgres://r:S3cret@h/d'],
    ['a single slash', 'postgres:/r:S3cret@h/d'],
    ['no slashes', 'postgres:r:S3cret@h/d'],
    ['no scheme', 'r:S3cret@h/d'],
    ['a slash in the password', 'postgres://r:S3cret/x@h/d'],
    ['an @ in the password', 'postgres://r:S3cret@x@h/d'],
    ['a trailing newline', 'postgres://r:S3cret@h/d\n'],
    ['a password parameter', 'postgres://h/d?user=r&password=S3cret'],
  ])('%s', (_what, value) => {
    const shown = describeValue('RESCIND_ORDER_SOURCE', value);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).toContain('***');
  });

  it('keeps what helps find the mistake', () => {
    expect(describeValue('RESCIND_ORDER_SOURCE', ' postgres://r:S3cret@h/d')).toBe('" postgres://r:***@h/d"');
    expect(describeValue('RESCIND_ORDER_SOURCE', 'postgres://r@h:5432/d x')).toBe('"postgres://r@h:5432/d x"');
    expect(describeValue('RESCIND_API_PORT', 'eighty')).toBe('"eighty"');
  });
});

describe('loadConfig never prints the password of a rejected RESCIND_ORDER_SOURCE', () => {
  it.each([
    ' postgres://r:S3cret@h/d',
    'postgres:/r:S3cret@h/d',
    ' postgres://r:S3cret/x@y@h/d',
    'postgres://r:S3cret@h/d\n',
  ])('%j', (value) => {
    let message = '';
    try {
      loadConfig({ RESCIND_ORDER_SOURCE: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('RESCIND_ORDER_SOURCE');
    expect(message).not.toContain(PASSWORD);
  });
});
