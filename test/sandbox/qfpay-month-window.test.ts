/**
 * The QFPay simulator's month rule (docs/providers/qfpay.md §4.2): a query without syssn searches only the
 * current calendar month (Hong Kong time, by sysdtm) unless start_time/end_time name another month; a syssn
 * finds its transaction in any month. Requests are built by hand, signed with the adapter's vector-checked signer.
 */
import { qfpaySignRequest } from '../../activities/providers/qfpay/signer.js';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { qfpaySandboxSettings, resetQfpaySandboxSettings } from '../../sandbox/providers/qfpay/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ACCOUNT = SANDBOX_ACCOUNTS.qfpay;
const mchid = ACCOUNT.mchid;
const DAY = 86_400_000;

/** `YYYY-MM-DD hh:mm:ss` in Hong Kong time. */
const hk = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
/** Year and month (0-11) of `d` in Hong Kong. */
const hkMonth = (d: Date): [number, number] => {
  const local = new Date(d.getTime() + 8 * 3_600_000);
  return [local.getUTCFullYear(), local.getUTCMonth()];
};
/** start_time/end_time covering the whole Hong Kong calendar month of `d`. */
const monthOf = (d: Date): { start_time: string; end_time: string } => {
  const [y, m] = hkMonth(d);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const month = hk(d).slice(0, 7);
  return { start_time: `${month}-01 00:00:00`, end_time: `${month}-${last} 23:59:59` };
};
/** The first day of the next Hong Kong month, 10:00 there. */
const nextMonth = (d: Date): Date => {
  const [y, m] = hkMonth(d);
  return new Date(Date.UTC(y, m + 1, 1, 2));
};

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(() => resetQfpaySandboxSettings());

type Row = { order_type: string; out_trade_no: string; syssn: string; origssn?: string };
const query = async (params: Record<string, string>): Promise<{ respcd: string; data?: Row[] }> => {
  const all = { mchid, ...params };
  const res = await fetch(`${sb.sandbox.url}/qfpay/trade/v1/query`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-qf-appcode': ACCOUNT.appCode,
      'x-qf-sign': qfpaySignRequest(all, ACCOUNT.clientKey),
    },
    body: new URLSearchParams(all).toString(),
  });
  return (await res.json()) as { respcd: string; data?: Row[] };
};
const make = (state: string, createdAt: Date) =>
  sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, createdAt: createdAt.toISOString() });
const kinds = (rows: Row[] | undefined) => (rows ?? []).map((r) => `${r.order_type}:${r.out_trade_no}`);

describe('a query without syssn sees one calendar month', () => {
  it('an order created last month: not found by out_trade_no alone, found with its month as the range, found by syssn', async () => {
    const createdAt = new Date(Date.now() - 40 * DAY);
    const o = await make('paid', createdAt);
    expect(await query({ out_trade_no: o.orderId })).toEqual(expect.objectContaining({ respcd: '0000', data: [] }));
    expect(kinds((await query({ out_trade_no: o.orderId, ...monthOf(createdAt) })).data)).toEqual([
      `payment:${o.orderId}`,
    ]);
    expect(kinds((await query({ out_trade_no: o.orderId, ...monthOf(new Date()) })).data)).toEqual([]);
    expect(kinds((await query({ syssn: o.providerOrderId })).data)).toEqual([`payment:${o.orderId}`]);
    // A range is ignored next to a syssn (§4.2).
    expect(kinds((await query({ syssn: o.providerOrderId, ...monthOf(new Date()) })).data)).toEqual([
      `payment:${o.orderId}`,
    ]);
  });

  it('an order of this month is found without a range', async () => {
    const o = await make('paid', new Date());
    expect(kinds((await query({ out_trade_no: o.orderId })).data)).toEqual([`payment:${o.orderId}`]);
  });

  it('a refund is found in the month of its own sysdtm; a payment found in its month brings its refund rows', async () => {
    const createdAt = new Date(Date.now() - 40 * DAY);
    const o = await make('partially_refunded', createdAt);
    const refundNo = `RF${o.refunds[0].refundId}`;
    expect(kinds((await query({ out_trade_no: refundNo })).data)).toEqual([`refund:${refundNo}`]);
    // Next month, at the simulator's clock: the refund made this month needs its month named.
    qfpaySandboxSettings.now = () => nextMonth(new Date());
    expect(kinds((await query({ out_trade_no: refundNo })).data)).toEqual([]);
    expect(kinds((await query({ out_trade_no: refundNo, ...monthOf(new Date()) })).data)).toEqual([
      `refund:${refundNo}`,
    ]);
    const both = (await query({ out_trade_no: o.orderId, ...monthOf(createdAt) })).data;
    expect(kinds(both)).toEqual([`payment:${o.orderId}`, `refund:${refundNo}`]);
  });

  it('the range must stay within one calendar month', async () => {
    const now = new Date();
    const range = {
      start_time: monthOf(new Date(now.getTime() - 40 * DAY)).start_time,
      end_time: monthOf(now).end_time,
    };
    expect((await query({ out_trade_no: 'X1', ...range })).respcd).toBe('1104');
    expect((await query({ out_trade_no: 'X1', start_time: monthOf(now).start_time })).respcd).toBe('1104');
  });

  it('switched off (queryCurrentMonthOnly=false), every month is searched as before', async () => {
    const o = await make('paid', new Date(Date.now() - 40 * DAY));
    qfpaySandboxSettings.queryCurrentMonthOnly = false;
    expect(kinds((await query({ out_trade_no: o.orderId })).data)).toEqual([`payment:${o.orderId}`]);
  });

  it('the setting is shown by /_admin/settings', async () => {
    expect((await sb.admin('GET', '/settings')).qfpay).toMatchObject({ queryCurrentMonthOnly: true });
  });
});
