/** `rescind init-db`: create the documented rescind_orders table in the PostgreSQL order source. */
import type { Command } from 'commander';
import { PostgresOrderSource } from '../../../activities/reconcile/postgres-source.js';
import { isPostgresUrl } from '../../../activities/reconcile/source.js';
import { RequestError } from '../../request.js';
import { EXIT, print, withConfig } from '../shared.js';

export function registerInitDbCommand(program: Command): void {
  program
    .command('init-db')
    .description(
      'create the rescind_orders table (and its index) in the PostgreSQL database named by RESCIND_ORDER_SOURCE, if missing',
    )
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) =>
      withConfig(async (config) => {
        const url = config.reconcile.orderSource;
        if (!isPostgresUrl(url)) {
          throw new RequestError([
            { field: 'RESCIND_ORDER_SOURCE', message: 'set it to a postgres:// URL to create the orders table there' },
          ]);
        }
        const source = new PostgresOrderSource(url);
        try {
          await source.ensureSchema();
        } finally {
          await source.close();
        }
        print(o, { table: 'rescind_orders', ready: true }, () => 'rescind_orders is ready');
        return EXIT.ok;
      }),
    );
}
