/**
 * QFPay answer signatures, as configured (docs/providers/qfpay.md §2.2): the sandbox signs its answers under one
 * scheme; the adapter trusts an answer only under the scheme it is configured for. Matching: the order's real
 * state. Any other: `unknown` for a query, an untrusted answer for a write; never success.
 */
import type { QfpayConfig } from '../../../../activities/providers/qfpay/config.js';
import { createQfpayAdapter } from '../../../../activities/providers/qfpay/index.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { qfpaySandboxSettings, resetQfpaySandboxSettings, type QfpaySandboxSettings } from '../../../../sandbox/providers/qfpay/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(() => resetQfpaySandboxSettings());

type Emits = Partial<Pick<QfpaySandboxSettings, 'responseSignType' | 'responseSignedOver' | 'declareResponseSignType'>>;
type Trusts = { answerSignedOver: 'raw_body' | 'sorted_fields'; answerSignType: 'MD5' | 'SHA256' };

/** What the sandbox emits (requests are always signed SHA256, so "request" answers SHA256). */
const SANDBOX: Record<string, { emits: Emits; matches: Trusts }> = {
  'raw body, MD5 (G-JP)': { emits: {}, matches: { answerSignedOver: 'raw_body', answerSignType: 'MD5' } },
  'raw body, SHA256, declared': { emits: { responseSignType: 'request' }, matches: { answerSignedOver: 'raw_body', answerSignType: 'SHA256' } },
  'raw body, SHA256, not declared': {
    emits: { responseSignType: 'request', declareResponseSignType: false },
    matches: { answerSignedOver: 'raw_body', answerSignType: 'SHA256' },
  },
  'sorted fields, MD5 (response-format page)': { emits: { responseSignedOver: 'sorted_fields' }, matches: { answerSignedOver: 'sorted_fields', answerSignType: 'MD5' } },
  'sorted fields, SHA256, declared': {
    emits: { responseSignedOver: 'sorted_fields', responseSignType: 'request' },
    matches: { answerSignedOver: 'sorted_fields', answerSignType: 'SHA256' },
  },
};
const CLIENT: Trusts[] = [
  { answerSignedOver: 'raw_body', answerSignType: 'MD5' },
  { answerSignedOver: 'raw_body', answerSignType: 'SHA256' },
  { answerSignedOver: 'sorted_fields', answerSignType: 'MD5' },
  { answerSignedOver: 'sorted_fields', answerSignType: 'SHA256' },
];
const CASES = Object.entries(SANDBOX).flatMap(([name, s]) =>
  CLIENT.map((c) => [name, `${c.answerSignedOver}/${c.answerSignType}`, s.emits, c, c.answerSignedOver === s.matches.answerSignedOver && c.answerSignType === s.matches.answerSignType] as const),
);

const adapter = (trusts: Trusts): ProviderAdapter =>
  createQfpayAdapter({ ...sb.config.providers.qfpay!, signType: 'SHA256', ...trusts } as QfpayConfig, { timeoutMs: 2_000 });
const make = async (state: string): Promise<OrderRef> => {
  const o = await sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType: '800201' });
  return { provider: 'qfpay', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, payType: o.payType, createdAt: o.createdAt };
};
const refundsOf = async (order: OrderRef): Promise<number> =>
  (await sb.admin('GET', '/ledger')).entries.filter((e: { orderId: string; kind: string }) => e.orderId === order.orderId && e.kind === 'refund').length;

describe('a query answer is trusted only under the configured scheme', () => {
  it.each(CASES)('sandbox signs %s, adapter configured %s', async (_s, _c, emits, trusts, match) => {
    Object.assign(qfpaySandboxSettings, emits);
    const order = await make('paid');
    const seen = await adapter(trusts).queryOrder(order);
    if (match) expect(seen).toMatchObject({ status: 'paid', providerOrderId: order.providerOrderId });
    else expect(seen).toMatchObject({ status: 'unknown', providerCode: 'signature_invalid' });
  });

  it('an answer declaring another hash than the configured one says so', async () => {
    qfpaySandboxSettings.responseSignType = 'request';
    const seen = await adapter({ answerSignedOver: 'raw_body', answerSignType: 'MD5' }).queryOrder(await make('paid'));
    expect(seen).toMatchObject({ status: 'unknown', reason: expect.stringContaining('declares X-QF-SIGNTYPE SHA256; QFPAY_ANSWER_SIGN_TYPE is MD5') });
  });
});

describe('a write answer under another scheme is never success', () => {
  it('refund: untrusted (the money moved at QFPay); the retry under the right scheme is "already", one refund', async () => {
    qfpaySandboxSettings.responseSignedOver = 'sorted_fields';
    const order = await make('paid');
    const refund = { refundKey: `${order.orderId}-RF1`, amount: 2500, totalAmount: 2500 };
    await expect(adapter({ answerSignedOver: 'raw_body', answerSignType: 'MD5' }).refundOrder(order, refund)).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await refundsOf(order)).toBe(1);
    expect(await adapter({ answerSignedOver: 'sorted_fields', answerSignType: 'MD5' }).refundOrder(order, refund)).toMatchObject({ result: 'already' });
    expect(await refundsOf(order)).toBe(1);
  });

  it('close: untrusted under the raw-body scheme when the sandbox signs sorted fields; done under the right one', async () => {
    qfpaySandboxSettings.responseSignedOver = 'sorted_fields';
    const order = await make('unpaid');
    await expect(adapter({ answerSignedOver: 'raw_body', answerSignType: 'MD5' }).closeOrder(order)).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await adapter({ answerSignedOver: 'sorted_fields', answerSignType: 'MD5' }).queryOrder(order)).toMatchObject({ status: 'closed' });
  });
});
