import type { Client } from '@temporalio/client';
import type { Outcome } from '../../domain/index.js';
import { connectClient, loadTemporalSettings, type TemporalSettings } from '../../platform/temporal.js';
import type { CancellationState } from '../../workflows/definitions.js';
import { deliverPaymentNotification, type NotificationDelivery } from '../api/notifications/delivery.js';
import type { ListFilter } from '../request.js';
import { listCancellations, type ListedCancellation } from './list.js';
import { notifyPayment } from './notify.js';
import { waitForOutcome } from './outcome.js';
import { workflowIdOf, type CancellationRef } from './ref.js';
import { resolveReview } from './review.js';
import { startCancellation, type StartOptions, type StartResult } from './start.js';
import { getCancellationById, type CancellationView, type ReadOptions } from './view.js';

/**
 * The library as one object: a Temporal client plus the task queue Rescind's workers poll.
 *
 * ```ts
 * const rescind = new RescindClient(existingTemporalClient, { taskQueue: 'rescind' });
 * ```
 */
export class RescindClient {
  constructor(
    readonly client: Client,
    readonly options: StartOptions & ReadOptions,
  ) {}

  /** Connect with configuration from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, RESCIND_TASK_QUEUE, ...). */
  static async connect(settings: TemporalSettings = loadTemporalSettings()): Promise<RescindClient> {
    return new RescindClient(await connectClient(settings.temporal), { taskQueue: settings.taskQueue });
  }

  /** See {@link startCancellation}. */
  start(request: unknown): Promise<StartResult> {
    return startCancellation(this.client, this.options, request);
  }

  /** See {@link getCancellationById}. */
  get(ref: CancellationRef): Promise<CancellationView | undefined> {
    return getCancellationById(this.client, workflowIdOf(ref), this.options);
  }

  /** See {@link waitForOutcome}. */
  waitForOutcome(ref: CancellationRef, options?: { timeoutMs?: number }): Promise<Outcome> {
    return waitForOutcome(this.client, workflowIdOf(ref), options);
  }

  /** See {@link listCancellations}. */
  list(filter?: ListFilter): Promise<ListedCancellation[]> {
    return listCancellations(this.client, filter);
  }

  /** See {@link resolveReview}. */
  resolveReview(ref: CancellationRef, resolution: unknown): Promise<CancellationState> {
    return resolveReview(this.client, workflowIdOf(ref), resolution);
  }

  /** See {@link notifyPayment}. */
  notifyPayment(ref: CancellationRef, notification: unknown): Promise<boolean> {
    return notifyPayment(this.client, workflowIdOf(ref), notification);
  }

  /** See {@link deliverPaymentNotification}. */
  deliverPaymentNotification(ref: CancellationRef, notification: unknown): Promise<NotificationDelivery> {
    return deliverPaymentNotification(this.client, workflowIdOf(ref), notification);
  }

  /** Close the Temporal connection. */
  close(): Promise<void> {
    return this.client.connection.close();
  }
}
