/**
 * The dev server's UI wired to the codec server, as `npm start -- --encrypt` does it: the UI reports
 * the codec endpoint it will call, and the codec server lets that UI's origin call it from a browser.
 */
import { randomBytes } from 'node:crypto';
import { startCodecServer } from '../../platform/codec-server.js';
import { parsePayloadKeys } from '../../platform/codec.js';
import { freePort, startDevServer, type DevServer } from '../../scripts/dev-server.js';

let dev: DevServer | undefined;
afterAll(async () => {
  await dev?.stop();
});

it('starts the UI with --ui-codec-endpoint, and the codec server answers its preflight', async () => {
  const uiPort = await freePort();
  const origin = `http://127.0.0.1:${uiPort}`;
  const codec = await startCodecServer({
    keys: parsePayloadKeys(`ui:${randomBytes(32).toString('base64')}`, []),
    corsOrigins: [origin],
  });
  try {
    dev = await startDevServer({ uiPort, uiCodecEndpoint: codec.url });
    expect(dev.uiUrl).toBe(origin);
    const settings = (await (await fetch(`${origin}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    expect(settings.Codec?.Endpoint).toBe(codec.url);

    const preflight = await fetch(`${codec.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  } finally {
    await codec.close();
  }
});
