/**
 * The WeChat Pay adapter's queryOrder against the sandbox over real HTTP, beyond the shared contract
 * (./contract.test.ts): which order an answer is about, the trust rules, USERPAYING.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { OrderRef } from '../../../../domain/index.js';
import { wechatpaySandboxSettings as settings } from '../../../../sandbox/providers/wechatpay/index.js';
import type { WechatClientOptions } from '../../../../activities/providers/wechatpay/client.js';
import type { WechatpayConfig } from '../../../../activities/providers/wechatpay/config.js';
import { adapterFor, wechatpaySandbox } from './contract-helpers.js';
import { MERCHANT_PRIVATE } from './fixtures.js';

const px = wechatpaySandbox();
const query = (order: OrderRef, over: Partial<WechatpayConfig> = {}, options: WechatClientOptions = {}) =>
  adapterFor(px, over, options).queryOrder(order);
const make = px.make;

describe('which order an answer is about', () => {
  it('another sub_mchid is not found', async () => {
    const order = await make('paid');
    expect(await query({ ...order, merchantId: '1900000999', providerOrderId: undefined })).toEqual({
      status: 'not_found',
      providerCode: 'ORDER_NOT_EXIST',
    });
  });

  it('not found by out_trade_no but the transaction_id names another out_trade_no: unknown, never not_found', async () => {
    const order = await make('paid');
    expect(await query({ ...order, orderId: 'NOSUCHORDER123' })).toMatchObject({
      status: 'unknown',
      providerCode: 'other_order',
    });
    expect(
      await query({ ...order, orderId: 'NOSUCHORDER123', providerOrderId: '4200000000000000000000000000' }),
    ).toEqual({ status: 'not_found', providerCode: 'ORDER_NOT_EXIST' });
  });

  it('a transaction_id or amount that differs from the order is unknown', async () => {
    const order = await make('paid');
    expect(await query({ ...order, providerOrderId: '4200000000000000000000000000' })).toMatchObject({
      status: 'unknown',
      providerCode: 'other_order',
    });
    expect(await query({ ...order, amount: 4100 })).toMatchObject({
      status: 'unknown',
      providerCode: 'amount_mismatch',
    });
  });

  it('an OrderRef without a usable sub_mchid or out_trade_no is our mistake, sent nowhere', async () => {
    const order = await make('unpaid');
    await expect(query({ ...order, merchantId: '' })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('sub_mchid'),
    });
    await expect(query({ ...order, orderId: 'a/b' })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('out_trade_no'),
    });
    await expect(query({ ...order, providerOrderId: '42000/1' })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('transaction_id'),
    });
  });
});

describe('trust', () => {
  it('an answer signed under a key id we do not hold is unknown', async () => {
    expect(
      await query(await make('paid'), { platformKeyId: 'PUB_KEY_ID_01123000010920219999999999999999' }),
    ).toMatchObject({ status: 'unknown', reason: expect.stringContaining('unknown key') });
  });

  it('an answer that verifies only under another public key is unknown', async () => {
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(await query(await make('paid'), { platformPublicKeyPem: publicKey })).toMatchObject({
      status: 'unknown',
      reason: 'Wechatpay-Signature did not verify',
    });
  });

  it('answers stamped more than 300 s away are unknown; 290 s is fine', async () => {
    const order = await make('paid');
    // Ahead of the clock, the gap shrinks while the answer travels, and the stamp is a whole second
    // (rounded down): 301 s read as 300.x or less whenever the call outlasted the rest of that second.
    settings.answerClockOffsetSec = 310;
    expect(await query(order)).toMatchObject({ status: 'unknown', reason: 'Wechatpay-Timestamp more than 300 s away' });
    settings.answerClockOffsetSec = -290;
    expect(await query(order)).toMatchObject({ status: 'paid' });
  });

  it('if WeChat does not sign errors, an unsigned 404 is not believed', async () => {
    settings.signErrors = false;
    expect(
      await query({ ...(await make('paid')), orderId: 'NOSUCHORDER123', providerOrderId: undefined }),
    ).toMatchObject({
      status: 'unknown',
      reason: 'unsigned HTTP 404 ORDER_NOT_EXIST cannot be believed',
    });
  });

  it('the sandbox refuses our request (401 SIGN_ERROR, unsigned) for a wrong serial, service provider or clock, and that is our mistake', async () => {
    // A wrong private key on every call is a case of the shared contract.
    const order = await make('paid');
    const refused = {
      type: 'request_rejected',
      details: expect.objectContaining({ httpStatus: 401, providerCode: 'SIGN_ERROR' }),
    };
    await expect(query(order, { merchantSerial: '3775B6A45ACD588826D15E583A95F5DD00000001' })).rejects.toMatchObject(
      refused,
    );
    await expect(query(order, { spMchid: '1230000999' })).rejects.toMatchObject(refused);
    await expect(query(order, {}, { now: () => new Date(Date.now() - 301_000) })).rejects.toMatchObject(refused);
    // A clock 290 s off both signs requests WeChat accepts and accepts WeChat's answers.
    expect(
      await query(order, { privateKeyPem: MERCHANT_PRIVATE }, { now: () => new Date(Date.now() + 290_000) }),
    ).toMatchObject({ status: 'paid' });
  });
});

describe('faults', () => {
  it('in_progress answers USERPAYING without moving the order on', async () => {
    const order = await make('paying', { payType: 'MICROPAY', payingQueries: 1, thenState: 'paid' });
    await px.fault('query', 'in_progress', { count: 2 });
    expect(await query(order)).toMatchObject({ status: 'paying', providerCode: 'trade_state=USERPAYING' });
    expect(await query(order)).toMatchObject({ status: 'paying' });
    expect(await query(order)).toMatchObject({ status: 'paying' });
    expect(await query(order)).toMatchObject({ status: 'paid' });
  });
});
