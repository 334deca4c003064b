/**
 * The Ping++ simulator (docs/providers/pingpp.md): charges retrieve / reverse / refunds under /pingpp/v1/ (and at
 * /v1/ for the official SDK), API-key auth, RSA request signatures, signed answers and webhooks.
 * Refunds are not idempotent, exactly as at Ping++.
 */
import { privateKeyFile, publicKeyFile, SANDBOX_ACCOUNTS } from '../../credentials.js';
import type { ProviderSimulator } from '../../simulator.js';
import { pingppPaymentNotification } from './notification.js';
import { registerPingppRoutes } from './routes.js';
import { creationView, newId } from './views.js';

export const pingppSimulator: ProviderSimulator = {
  id: 'pingpp',
  workerEnv: (base, keyDir) => ({
    PINGPP_API_KEY: SANDBOX_ACCOUNTS.pingpp.apiKey,
    PINGPP_APP_ID: SANDBOX_ACCOUNTS.pingpp.appId,
    PINGPP_PRIVATE_KEY_PATH: privateKeyFile(keyDir, 'pingpp_merchant'),
    PINGPP_WEBHOOK_PUBLIC_KEY_PATH: publicKeyFile(keyDir, 'pingpp_platform'),
    PINGPP_BASE_URL: `${base}/pingpp`,
  }),
  identity: {
    defaultMerchantId: SANDBOX_ACCOUNTS.pingpp.appId,
    defaultCurrency: 'cny',
    defaultPayType: 'alipay_qr',
    newProviderOrderId: () => newId('ch_'),
    newRefundId: () => newId('re_'),
  },
  register: registerPingppRoutes,
  paymentNotification: pingppPaymentNotification,
  describe: creationView,
};

export { pingppSandboxSettings, resetPingppSandboxSettings, type PingppSandboxSettings } from './settings.js';
