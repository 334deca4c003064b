/**
 * The QFPay simulator (docs/providers/qfpay.md): /qfpay/trade/v1/{query,reversal,close,refund} speaking QFPay's
 * own protocol (form requests signed with MD5 or SHA256, signed Python-style JSON answers), and
 * its payment notifications.
 */
import { SANDBOX_ACCOUNTS } from '../../credentials.js';
import type { ProviderSimulator } from '../../simulator.js';
import { qfpayPaymentNotification } from './notification.js';
import { registerQfpayRoutes } from './routes.js';
import { creationView, newPaymentSyssn, newRefundSyssn } from './views.js';

export const qfpaySimulator: ProviderSimulator = {
  id: 'qfpay',
  workerEnv: (base) => ({
    QFPAY_APP_CODE: SANDBOX_ACCOUNTS.qfpay.appCode,
    QFPAY_CLIENT_KEY: SANDBOX_ACCOUNTS.qfpay.clientKey,
    QFPAY_MCHID: SANDBOX_ACCOUNTS.qfpay.mchid,
    QFPAY_BASE_URL: `${base}/qfpay`,
  }),
  identity: {
    defaultMerchantId: SANDBOX_ACCOUNTS.qfpay.mchid,
    defaultCurrency: 'HKD',
    defaultPayType: '800201',
    newProviderOrderId: newPaymentSyssn,
    newRefundId: newRefundSyssn,
  },
  register: registerQfpayRoutes,
  paymentNotification: qfpayPaymentNotification,
  describe: creationView,
};

export { qfpayRefundNotification } from './notification.js';
export { qfpaySandboxSettings, resetQfpaySandboxSettings, type QfpaySandboxSettings } from './settings.js';
