/** Each provider answer and failure gets the result class the metrics report (activities/call-metrics.ts). */
import { ApplicationFailure } from '@temporalio/common';
import { answerResult, failureResult } from '../../activities/call-metrics.js';
import {
  configurationError,
  inProgress,
  notSupported,
  rateLimited,
  requestRejected,
  transient,
  untrustedResponse,
} from '../../activities/errors.js';

it.each([
  [{ status: 'paid', providerCode: 'SUCCESS' }, 'ok'],
  [{ status: 'unknown', reason: 'signature missing', providerCode: 'signature_missing' }, 'untrusted'],
  [{ result: 'done', providerCode: '0000' }, 'ok'],
  [{ result: 'already', providerCode: '1142' }, 'ok'],
  [{ result: 'rejected', providerCode: 'ORDERPAID' }, 'rejected'],
  [{ result: 'accepted', providerCode: 'PROCESSING' }, 'ok'],
  [{ status: 'failed', providerCode: 'ABNORMAL' }, 'ok'],
])('answer %j is %s', (answer, result) => {
  expect(answerResult(answer)).toBe(result);
});

it.each([
  [transient('qfpay', 'query', 'HTTP 503'), 'transient'],
  [rateLimited('qfpay', 'query', 1000), 'transient'],
  [untrustedResponse('wechatpay', 'refund', 'bad signature'), 'untrusted'],
  [inProgress('qfpay', 'close', '1143', 3000), 'in_progress'],
  [ApplicationFailure.create({ type: 'in_progress', message: 'still paying' }), 'in_progress'],
  [configurationError('payjs', 'no credentials'), 'error'],
  [requestRejected('pingpp', 'refund', 'bad request'), 'error'],
  [notSupported('payjs', 'queryRefund'), 'error'],
  [new Error('socket hang up'), 'transient'],
])('failure %s is %s', (err, result) => {
  expect(failureResult(err)).toBe(result);
});
