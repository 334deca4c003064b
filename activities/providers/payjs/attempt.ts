import { Context } from '@temporalio/activity';

/**
 * Whether this call runs in a retry of its activity: an earlier attempt may have reached PAYJS and its answer
 * been lost. Outside an activity (the adapter called directly, as the contract tests do) there is no earlier
 * attempt.
 */
export function retriedActivity(): boolean {
  try {
    return Context.current().info.attempt > 1;
  } catch {
    return false;
  }
}
