/** `rescind setup`: register Rescind's search attributes on the namespace, once (client/library/namespace-setup.ts). */
import type { Command } from 'commander';
import { registerSearchAttributes } from '../../library/namespace-setup.js';
import { SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes.js';
import { EXIT, print, withClient } from '../shared.js';

const HELP = `
Every cancellation is started with Rescind's search attributes, all Keyword:
  ${SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}
so a namespace without them refuses every start; rescind worker checks when it starts. This registers
the missing ones on TEMPORAL_NAMESPACE through Temporal's operator API; run again, it changes
nothing. The dev server (npm start) and npm run cluster do it themselves. On Temporal Cloud, add
them with tcld namespace search-attributes add or in the Cloud UI instead.

Exit codes:
  0  every attribute is registered (some may have just been)
  1  Temporal refused (no operator rights, an attribute registered under another type) or could not be asked
  2  bad configuration`;

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description("register Rescind's search attributes on the namespace (once per namespace)")
    .option('--json', 'print what was registered as JSON on stdout')
    .addHelpText('after', HELP)
    .action(async (o: { json?: boolean }) =>
      withClient(async (client) => {
        const added = await registerSearchAttributes(client);
        const namespace = client.options.namespace;
        print(o, { namespace, registered: added }, () =>
          added.length > 0
            ? `${namespace}: registered ${added.join(', ')}`
            : `${namespace}: Rescind's ${SEARCH_ATTRIBUTES.length} search attributes were all registered already`,
        );
        return EXIT.ok;
      }),
    );
}
