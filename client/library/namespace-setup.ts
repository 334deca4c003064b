/**
 * Rescind's search attributes on a namespace (workflows/search-attributes.ts): which are missing or
 * of another type, and registering the missing ones. Every run is started with them
 * (client/library/start.ts), so on a namespace without them the server refuses every start: the
 * worker and the API check when they start (checkNamespace), and `rescind setup` registers them.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
// CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

export interface SearchAttributeProblem {
  name: string;
  /** The type Rescind needs, as Temporal's CLI spells it (Keyword). */
  type: string;
  /** The type the namespace has under that name; absent when it has none. */
  found?: string;
}

/** Temporal's CLI spelling of a type: KEYWORD → Keyword. */
const spelled = (type: string): string => type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();

const indexed = (type: string): number =>
  IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof IndexedValueType];

/** What the namespace lacks of Rescind's search attributes; empty when everything is registered. */
export async function searchAttributeProblems(client: Client): Promise<SearchAttributeProblem[]> {
  const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
    namespace: client.options.namespace,
  });
  const registered = customAttributes ?? {};
  return SEARCH_ATTRIBUTES.flatMap((key) => {
    const found = registered[key.name];
    if (found === indexed(key.type)) return [];
    const foundName = found === undefined ? undefined : IndexedValueType[found]?.replace('INDEXED_VALUE_TYPE_', '');
    return [{ name: key.name, type: spelled(key.type), ...(foundName ? { found: spelled(foundName) } : {}) }];
  });
}

/**
 * Register the missing ones; returns their names (none: all were there). An attribute registered
 * under another type is not changed (its values would be lost): that is an error naming it.
 */
export async function registerSearchAttributes(client: Client): Promise<string[]> {
  const problems = await searchAttributeProblems(client);
  const clashing = problems.filter((p) => p.found);
  if (clashing.length > 0) throw new Error(describeProblems(client.options.namespace, clashing));
  if (problems.length === 0) return [];
  await client.connection.operatorService.addSearchAttributes({
    namespace: client.options.namespace,
    searchAttributes: Object.fromEntries(
      problems.map((p) => [p.name, indexed(SEARCH_ATTRIBUTES.find((k) => k.name === p.name)!.type)]),
    ),
  });
  return problems.map((p) => p.name);
}

/** One message naming each problem and what to do about it. */
export function describeProblems(namespace: string, problems: SearchAttributeProblem[]): string {
  const missing = problems.filter((p) => !p.found);
  const clashing = problems.filter((p) => p.found);
  const lines: string[] = [];
  if (missing.length > 0)
    lines.push(
      `namespace ${namespace} lacks Rescind's search attributes ${missing.map((p) => `${p.name} (${p.type})`).join(', ')}: ` +
        'every start would be refused. Register them once with `rescind setup` ' +
        '(on Temporal Cloud: tcld namespace search-attributes add, or the Cloud UI)',
    );
  for (const p of clashing)
    lines.push(
      `namespace ${namespace} has ${p.name} as ${p.found}, Rescind needs ${p.type}: rename or remove it there (its values would be lost)`,
    );
  return lines.join('\n');
}

/** gRPC codes of a server that will not answer this connection's question, rather than a wrong namespace. */
const CANNOT_TELL = new Set([7 /* PERMISSION_DENIED */, 12 /* UNIMPLEMENTED */]);

/**
 * The check a process that starts runs (the worker, the API) makes first: throws naming what to do
 * when the namespace lacks the attributes. A connection not allowed to list them (an API key without
 * operator rights) cannot tell: it says so through `warn` and goes on.
 */
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
