/** `rescind codec-server`: serve Temporal's remote codec protocol so the UI and CLI can read encrypted payloads. */
import type { Command } from 'commander';
import { loadCodecServerSettings, startCodecServer } from '../../../platform/codec-server.js';
import { EXIT, EXIT_CODES_HELP, int, run, untilStopped } from '../shared.js';

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description(
      "decrypt and encrypt payloads for the Temporal UI and CLI (POST /decode, /encode) with the workers' RESCIND_PAYLOAD_KEYS",
    )
    .option(
      '--host <host>',
      'listen address (default RESCIND_CODEC_HOST or 127.0.0.1); any other than loopback needs RESCIND_CODEC_TOKEN',
    )
    .option('--port <port>', 'listen port (default RESCIND_CODEC_PORT or 4200)', int)
    .addHelpText(
      'after',
      `
Configuration:
  RESCIND_PAYLOAD_KEYS       the keys the workers encrypt with (id:base64,..., current first)
  RESCIND_CODEC_CORS_ORIGIN  origins of the Temporal UI allowed to call it (default http://localhost:8233,http://127.0.0.1:8233)
  RESCIND_CODEC_TOKEN        when set, callers send Authorization: Bearer <token>
Use it from:
  temporal server start-dev --ui-codec-endpoint http://127.0.0.1:4200
  temporal workflow show -w <workflow id> --codec-endpoint http://127.0.0.1:4200 [--codec-auth "Bearer <token>"]
  a Temporal UI: Settings → Codec Server → http://127.0.0.1:4200 (or TEMPORAL_CODEC_ENDPOINT for the UI server)
${EXIT_CODES_HELP}`,
    )
    .action(async (o: { host?: string; port?: number }) =>
      run(async () => {
        const settings = loadCodecServerSettings();
        const server = await startCodecServer({
          ...settings,
          host: o.host ?? settings.host,
          port: o.port ?? settings.port,
        });
        console.error(
          [
            `[rescind] codec server on ${server.url}  (POST ${server.url}/decode, ${server.url}/encode)`,
            `  keys     ${settings.keys.map((k) => k.id).join(', ')} (new payloads use ${settings.keys[0]!.id})`,
            `  browsers ${settings.corsOrigins.join(', ')}`,
            `  token    ${settings.token ? 'required (Authorization: Bearer <RESCIND_CODEC_TOKEN>)' : 'none (loopback only)'}`,
            'Stop with Ctrl-C.',
          ].join('\n'),
        );
        await untilStopped();
        await server.close();
        return EXIT.ok;
      }),
    );
}
