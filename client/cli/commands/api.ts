/** `rescind api`: run the HTTP API and the provider notification receivers until Ctrl-C / SIGTERM. */
import type { Command } from 'commander';
import { PROVIDER_IDS } from '../../../domain/index.js';
import { loadServiceConfig } from '../../config.js';
import { connectClient } from '../../../platform/temporal.js';
import { checkNamespace } from '../../library/namespace-setup.js';
import { CONFIG_HELP, EXIT, EXIT_CODES_HELP, int, run, untilStopped } from '../shared.js';

export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description(
      'run the HTTP API (/v1/cancellations, bearer tokens from RESCIND_API_TOKENS) and the provider notification receivers (/notify/<provider>)',
    )
    .option(
      '--host <host>',
      'listen address (default RESCIND_API_HOST or 127.0.0.1); without RESCIND_API_TOKENS only a loopback address is allowed',
    )
    .option('--port <port>', 'listen port (default RESCIND_API_PORT or 4000)', int)
    .option('--log-level <level>', 'fatal | error | warn | info | debug | trace | silent', 'info')
    .addHelpText('after', `${CONFIG_HELP}\n${EXIT_CODES_HELP}`)
    .action(async (o: { host?: string; port?: number; logLevel: string }) =>
      run(async () => {
        const config = loadServiceConfig();
        const client = await connectClient(config.temporal);
        try {
          // Every start would be refused on a namespace without Rescind's search attributes: say so now.
          await checkNamespace(client);
          const { startApiServer } = await import('../../api/server.js');
          const api = await startApiServer({ config, client, host: o.host, port: o.port, logLevel: o.logLevel });
          console.error(
            [
              `[rescind] HTTP API on ${api.url}`,
              `  OpenAPI        ${api.url}/openapi.json`,
              `  cancellations  POST ${api.url}/v1/cancellations ${api.authRequired ? '(Authorization: Bearer <one of RESCIND_API_TOKENS>)' : '(no token: RESCIND_API_TOKENS is empty, loopback only)'}`,
              `  notifications  ${PROVIDER_IDS.map((p) => `${api.url}/notify/${p}`).join('  ')}`,
            ].join('\n'),
          );
          await untilStopped();
          await api.close();
        } finally {
          await client.connection.close().catch(() => undefined);
        }
        return EXIT.ok;
      }),
    );
}
