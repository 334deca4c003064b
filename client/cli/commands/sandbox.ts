/** `rescind sandbox`: run the four provider simulators and their admin API until Ctrl-C / SIGTERM. */
import type { Command } from 'commander';
import { loadClientConfig } from '../../config.js';
import { EXIT, EXIT_CODES_HELP, int, run, untilStopped } from '../shared.js';

export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'run the provider sandbox: PAYJS, QFPay, WeChat Pay and Ping++ simulators speaking their real protocols, with an admin API to create and pay orders and inject faults',
    )
    .option('--host <host>', 'listen address (default RESCIND_SANDBOX_HOST or 127.0.0.1)')
    .option('--port <port>', 'listen port (default RESCIND_SANDBOX_PORT or 4100)', int)
    .option(
      '--notify-url <url>',
      'where payment notifications go, {provider} is replaced (default RESCIND_SANDBOX_NOTIFY_URL, else the API: http://<RESCIND_API_HOST>:<RESCIND_API_PORT>/notify/{provider})',
    )
    .option('--keys <dir>', 'folder with the RSA test key pairs, generated when missing', '.data/keys')
    .addHelpText(
      'after',
      `\nThe sandbox accounts and keys are throwaway test credentials: never use them with a real provider.\nExample:\n  rescind sandbox --port 4100\n  curl -X POST localhost:4100/_admin/orders -H 'content-type: application/json' -d '{"provider":"qfpay","state":"unpaid","amount":1000}'\n${EXIT_CODES_HELP}`,
    )
    .action(async (o: { host?: string; port?: number; notifyUrl?: string; keys: string }) =>
      run(async () => {
        // Loaded on use: the simulators are not needed by the other commands.
        const { ensureKeys, SANDBOX_ACCOUNTS } = await import('../../../sandbox/credentials.js');
        const { sandboxWorkerEnv } = await import('../../../sandbox/worker-env.js');
        const { startSandbox } = await import('../../../sandbox/server.js');
        const config = loadClientConfig();
        const notifyUrl =
          o.notifyUrl ?? config.sandbox.notifyUrl ?? `http://${config.api.host}:${config.api.port}/notify/{provider}`;
        const keyDir = ensureKeys(o.keys);
        const sandbox = await startSandbox({
          host: o.host ?? config.sandbox.host,
          port: o.port ?? config.sandbox.port,
          keyDir,
          notifyUrl,
        });
        const env = sandboxWorkerEnv(sandbox.url, keyDir);
        console.log(
          [
            `[rescind] sandbox on ${sandbox.url}`,
            `  admin API      ${sandbox.url}/_admin/orders (POST {"provider","state","amount"} to create an order), /_admin/ledger, /_admin/faults, /_admin/notifications`,
            `  pay an order   POST ${sandbox.url}/_admin/orders/<provider>/<orderId>/pay (sends the signed notification)`,
            `  notifications  ${notifyUrl}`,
            `  merchants      payjs ${SANDBOX_ACCOUNTS.payjs.mchid}, qfpay ${SANDBOX_ACCOUNTS.qfpay.mchid}, wechatpay sub_mchid ${SANDBOX_ACCOUNTS.wechatpay.defaultSubMchid}, pingpp ${SANDBOX_ACCOUNTS.pingpp.appId}`,
            '',
            'Point the worker, API and CLI at it (test credentials only):',
            ...Object.entries(env).map(([k, v]) => `  export ${k}=${JSON.stringify(v)}`),
            '',
            'Stop with Ctrl-C.',
          ].join('\n'),
        );
        await untilStopped();
        await sandbox.close();
        return EXIT.ok;
      }),
    );
}
