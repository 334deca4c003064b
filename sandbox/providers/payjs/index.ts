/**
 * The PAYJS simulator (docs/providers/payjs.md): /payjs/api/{check,reverse,close,refund} speaking PAYJS's own
 * protocol, and its form-encoded payment notifications.
 */
import { SANDBOX_ACCOUNTS } from '../../credentials.js';
import type { ProviderSimulator } from '../../simulator.js';
import { payjsPaymentNotification } from './notification.js';
import { registerPayjsRoutes } from './routes.js';
import { creationView, newPayjsOrderId, newPayjsRefundId } from './views.js';

export const payjsSimulator: ProviderSimulator = {
  id: 'payjs',
  workerEnv: (base) => ({
    PAYJS_MCHID: SANDBOX_ACCOUNTS.payjs.mchid,
    PAYJS_KEY: SANDBOX_ACCOUNTS.payjs.key,
    PAYJS_BASE_URL: `${base}/payjs`,
  }),
  identity: {
    defaultMerchantId: SANDBOX_ACCOUNTS.payjs.mchid,
    defaultCurrency: 'CNY',
    defaultPayType: 'native',
    newProviderOrderId: newPayjsOrderId,
    newRefundId: newPayjsRefundId,
  },
  register: registerPayjsRoutes,
  paymentNotification: payjsPaymentNotification,
  describe: creationView,
};

export {
  PAYJS_ANSWER_CANONICALISATIONS,
  payjsSandboxSettings,
  resetPayjsSandboxSettings,
  type PayjsAnswerCanonicalisation,
  type PayjsSandboxSettings,
} from './settings.js';
