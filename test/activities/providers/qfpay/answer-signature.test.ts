/**
 * QFPay answer signatures, as configured (docs/providers/qfpay.md §2.2): the sandbox signs its answers under one
 * scheme; the adapter trusts an answer only under the scheme it is configured for. Matching: the order's real
 * state. Any other: `unknown` for a query, an untrusted answer for a write; never success.
 */
import type { QfpayConfig } from '../../../../activities/providers/qfpay/config.js';
import { createQfpayAdapter } from '../../../../activities/providers/qfpay/index.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import {
  qfpaySandboxSettings,
  resetQfpaySandboxSettings,
  type QfpaySandboxSettings,
} from '../../../../sandbox/providers/qfpay/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(() => resetQfpaySandboxSettings());

type Emits = Partial<Pick<QfpaySandboxSettings, 'responseSignType' | 'responseSignedOver' | 'declareResponseSignType'>>;
type Trusts = { answerSignedOver: 'raw_body' | 'sorted_fields'; answerSignType: 'MD5' | 'SHA256' };

const RAW_MD5: Trusts = { answerSignedOver: 'raw_body', answerSignType: 'MD5' };
const RAW_SHA256: Trusts = { answerSignedOver: 'raw_body', answerSignType: 'SHA256' };
const SORTED_MD5: Trusts = { answerSignedOver: 'sorted_fields', answerSignType: 'MD5' };
const SORTED_SHA256: Trusts = { answerSignedOver: 'sorted_fields', answerSignType: 'SHA256' };

/** What the sandbox emits (requests are always signed SHA256, so "request" answers SHA256). */
const SANDBOX: [name: string, emits: Emits, matches: Trusts][] = [
  ['raw body, MD5 (G-JP)', {}, RAW_MD5],
  ['raw body, SHA256, declared', { responseSignType: 'request' }, RAW_SHA256],
  ['raw body, SHA256, not declared', { responseSignType: 'request', declareResponseSignType: false }, RAW_SHA256],
  ['sorted fields, MD5 (response-format page)', { responseSignedOver: 'sorted_fields' }, SORTED_MD5],
  [
    'sorted fields, SHA256, declared',
    { responseSignedOver: 'sorted_fields', responseSignType: 'request' },
    SORTED_SHA256,
  ],
];
const CASES = SANDBOX.flatMap(([name, emits, matches]) =>
  [RAW_MD5, RAW_SHA256, SORTED_MD5, SORTED_SHA256].map(
    (trusts) =>
      [name, `${trusts.answerSignedOver}/${trusts.answerSignType}`, emits, trusts, trusts === matches] as const,
  ),
);

// The production request budget (10 s, activities/providers/http.ts): a shorter one can expire on a
// loaded 2-core machine while this process waits for CPU, failing a call nothing faulted.
const adapter = (trusts: Trusts): ProviderAdapter =>
  createQfpayAdapter({ ...sb.config.providers.qfpay!, signType: 'SHA256', ...trusts } as QfpayConfig);
const make = async (state: string): Promise<OrderRef> => {
  const o = await sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType: '800201' });
  const { merchantId, orderId, providerOrderId, amount, payType } = o;
  return { provider: 'qfpay', merchantId, orderId, providerOrderId, amount, payType, createdAt: o.createdAt };
};
const refundsOf = async (order: OrderRef): Promise<number> => {
  const { entries } = await sb.admin<{ entries: { orderId: string; kind: string }[] }>('GET', '/ledger');
  return entries.filter((e) => e.orderId === order.orderId && e.kind === 'refund').length;
};

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
    const seen = await adapter(RAW_MD5).queryOrder(await make('paid'));
    const why = 'declares X-QF-SIGNTYPE SHA256; QFPAY_ANSWER_SIGN_TYPE is MD5';
    expect(seen).toMatchObject({ status: 'unknown', reason: expect.stringContaining(why) });
  });
});

describe('a write answer under another scheme is never success', () => {
  it('refund: untrusted (the money moved at QFPay); the retry under the right scheme is "already", one refund', async () => {
    qfpaySandboxSettings.responseSignedOver = 'sorted_fields';
    const order = await make('paid');
    const refund = { refundKey: `${order.orderId}-RF1`, amount: 2500, totalAmount: 2500 };
    await expect(adapter(RAW_MD5).refundOrder(order, refund)).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await refundsOf(order)).toBe(1);
    expect(await adapter(SORTED_MD5).refundOrder(order, refund)).toMatchObject({ result: 'already' });
    expect(await refundsOf(order)).toBe(1);
  });

  it('close: untrusted under the raw-body scheme when the sandbox signs sorted fields; done under the right one', async () => {
    qfpaySandboxSettings.responseSignedOver = 'sorted_fields';
    const order = await make('unpaid');
    await expect(adapter(RAW_MD5).closeOrder(order)).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await adapter(SORTED_MD5).queryOrder(order)).toMatchObject({ status: 'closed' });
  });
});
