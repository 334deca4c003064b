/** The library's public surface, one file per job (see ../library.ts for the overview and example). */
export { workflowIdOf, type CancellationRef } from './ref.js';
export {
  CancellationConflictError,
  CancellationNotFoundError,
  OutcomeTimeoutError,
  ReviewRejectedError,
} from './errors.js';
export type { OrderFacts } from './facts.js';
export { startCancellation, type StartOptions, type StartResult } from './start.js';
export { getCancellation, getCancellationById, type CancellationView, type ReadOptions } from './view.js';
export { listRuns, type CancellationRun } from './runs.js';
export { waitForOutcome } from './outcome.js';
export { listCancellations, type ListedCancellation } from './list.js';
export {
  describeBacklogs,
  type BacklogQueue,
  type BacklogState,
  type QueueBacklog,
  type QueuePause,
} from './backlog.js';
export { pauseProvider, resumeProvider, type PauseChange } from './pause.js';
export {
  describeDeployment,
  setCurrentBuild,
  setCurrentUnversioned,
  setRampingBuild,
  stopRamping,
  DeploymentChangeRefused,
  type ChangeOptions,
  type DeploymentView,
  type DeploymentBuild,
  type BuildStatus,
} from './deployment.js';
export { buildQueues, queueCoverage, withBuildQueues, type QueueCoverage } from './deployment-queues.js';
export { resolveReview } from './review.js';
export { notifyPayment } from './notify.js';
export { RescindClient } from './client.js';

export { RequestError, parseCancellationRequest } from '../request.js';
export { deliverPaymentNotification, type NotificationDelivery } from '../api/notifications/delivery.js';
export { STAGES, OUTCOME_KINDS } from '../../domain/index.js';
export type { FieldError, ListFilter } from '../request.js';
export type {
  CancellationRequest,
  Cadence,
  NotificationSignal,
  ReviewResolution,
} from '../../workflows/definitions.js';
export type { Outcome, Stage } from '../../domain/index.js';
export type { OrderRef, ProviderId } from '../../domain/index.js';
