/**
 * The embedded default order source: a JSON file `{ "orders": [ ... ] }` with the same fields as
 * the PostgreSQL table (camelCase) plus `status` and `outcome`. Writes are atomic (temp + rename).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OrderRef } from '../../domain/index.js';
import { cursorKey, OPEN_STATUSES, type CandidateOrder, type Cursor, type OrderSource } from './source.js';

export interface FileOrder extends CandidateOrder {
  status: string;
  outcome?: unknown;
  updatedAt?: string;
}

export class FileOrderSource implements OrderSource {
  constructor(private readonly path: string) {}

  read(): FileOrder[] {
    if (!existsSync(this.path)) return [];
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { orders?: FileOrder[] };
    return parsed.orders ?? [];
  }

  write(orders: FileOrder[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ orders }, null, 2)}\n`);
    renameSync(temp, this.path);
  }

  async listCandidates({
    cutoff,
    limit,
    after,
  }: {
    cutoff: Date;
    limit: number;
    after?: Cursor;
  }): Promise<CandidateOrder[]> {
    const position = (o: FileOrder) => `${o.createdAt}\u0000${cursorKey(o)}`;
    const from = after ? `${after.createdAt}\u0000${after.key}` : '';
    return this.read()
      .filter(
        (o) =>
          OPEN_STATUSES.includes(o.status ?? 'pending') &&
          Date.parse(o.createdAt) < cutoff.getTime() &&
          position(o) > from,
      )
      .sort((a, b) => (position(a) < position(b) ? -1 : 1))
      .slice(0, limit)
      .map(({ status: _s, outcome: _o, updatedAt: _u, ...order }) => order);
  }

  async recordOutcome(order: OrderRef, status: string, outcome: unknown): Promise<void> {
    const orders = this.read();
    const row = orders.find((o) => cursorKey(o) === cursorKey(order));
    if (!row) return;
    Object.assign(row, { status, outcome, updatedAt: new Date().toISOString() });
    this.write(orders);
  }

  async close(): Promise<void> {}
}
