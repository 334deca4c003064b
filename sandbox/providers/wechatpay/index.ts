/**
 * The WeChat Pay API v3 partner simulator (docs/providers/wechatpay.md §5, §9): /wechatpay/v3/...
 * and, for SDKs that change only the host, /v3/... at the root, speaking WeChat's own protocol
 * (signed requests verified, every accepted answer signed with the platform key under the
 * PUB_KEY_ID), and its encrypted notifications.
 */
import { privateKeyFile, publicKeyFile, SANDBOX_ACCOUNTS } from '../../credentials.js';
import type { ProviderSimulator } from '../../simulator.js';
import { wechatpayPaymentNotification } from './notification.js';
import { registerWechatpayRoutes } from './routes.js';
import { creationView, newRefundId, newTransactionId } from './views.js';

export const wechatpaySimulator: ProviderSimulator = {
  id: 'wechatpay',
  workerEnv: (base, keyDir) => ({
    WECHATPAY_SP_MCHID: SANDBOX_ACCOUNTS.wechatpay.spMchid,
    WECHATPAY_SP_APPID: SANDBOX_ACCOUNTS.wechatpay.spAppid,
    WECHATPAY_MERCHANT_SERIAL: SANDBOX_ACCOUNTS.wechatpay.merchantSerial,
    WECHATPAY_PRIVATE_KEY_PATH: privateKeyFile(keyDir, 'wxpay_merchant'),
    WECHATPAY_PLATFORM_KEY_ID: SANDBOX_ACCOUNTS.wechatpay.platformKeyId,
    WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: publicKeyFile(keyDir, 'wxpay_platform'),
    WECHATPAY_APIV3_KEY: SANDBOX_ACCOUNTS.wechatpay.apiV3Key,
    WECHATPAY_BASE_URL: `${base}/wechatpay`,
  }),
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
