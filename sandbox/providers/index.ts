/** Every provider simulator the sandbox serves. */
import type { ProviderSimulator } from '../simulator.js';
import { payjsSimulator } from './payjs/index.js';
import { pingppSimulator } from './pingpp/index.js';
import { qfpaySimulator } from './qfpay/index.js';
import { wechatpaySimulator } from './wechatpay/index.js';

export const SIMULATORS: ProviderSimulator[] = [payjsSimulator, qfpaySimulator, wechatpaySimulator, pingppSimulator];
