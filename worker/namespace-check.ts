/**
 * The check `rescind worker` makes before it takes any task: the namespace has Rescind's search
 * attributes (client/library/namespace-setup.ts). Without them every start is refused, so the worker
 * stops and says what to run. A connection not allowed to list them (an API key without operator
 * rights) cannot tell: the worker says so and goes on.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { describeProblems, searchAttributeProblems } from '../client/library/namespace-setup.js';

/** gRPC codes of a server that will not answer this connection's question, rather than a wrong namespace. */
const CANNOT_TELL = new Set([7 /* PERMISSION_DENIED */, 12 /* UNIMPLEMENTED */]);

export async function checkNamespace(client: Client, warn: (line: string) => void = console.warn): Promise<void> {
  let problems;
  try {
    problems = await searchAttributeProblems(client);
  } catch (err) {
    if (!isGrpcServiceError(err) || !CANNOT_TELL.has(err.code)) throw err;
    warn(
      `[rescind] could not list the search attributes of namespace ${client.options.namespace} (${err.details}); ` +
        'if starts are refused, register them with rescind setup (README, "Growing past one machine")',
    );
    return;
  }
  if (problems.length > 0) throw new Error(describeProblems(client.options.namespace, problems));
}
