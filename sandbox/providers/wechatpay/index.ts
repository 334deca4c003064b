/**
 * The WeChat Pay API v3 partner simulator (docs/providers/wechatpay.md §5, §9): /wechatpay/v3/...
 * and, for SDKs that change only the host, /v3/... at the root, speaking WeChat's own protocol
 * (signed requests verified, every accepted answer signed with the platform key under the
 * PUB_KEY_ID), and its encrypted notifications.
 */
import { SANDBOX_ACCOUNTS } from '../../credentials.js';
import type { ProviderSimulator } from '../../simulator.js';
import { wechatpayPaymentNotification } from './notification.js';
import { registerWechatpayRoutes } from './routes.js';
import { creationView, newRefundId, newTransactionId } from './views.js';

export const wechatpaySimulator: ProviderSimulator = {
  id: 'wechatpay',
  identity: {
    defaultMerchantId: SANDBOX_ACCOUNTS.wechatpay.defaultSubMchid,
    defaultCurrency: 'CNY',
    defaultPayType: 'NATIVE',
    newProviderOrderId: newTransactionId,
    newRefundId,
  },
  register: registerWechatpayRoutes,
  paymentNotification: wechatpayPaymentNotification,
  describe: creationView,
};

export { wechatpayRefundNotification, wechatpaySignatureProbe } from './notification.js';
export { resetWechatpaySandboxSettings, wechatpaySandboxSettings, type WechatpaySandboxSettings } from './settings.js';
