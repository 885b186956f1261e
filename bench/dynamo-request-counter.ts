// A counting proxy over a DynamoDB document client: requests by command and the capacity DynamoDB (or dynalite) reports for each, asked for on every call.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const READS = new Set(['GetCommand', 'QueryCommand', 'BatchGetCommand', 'ScanCommand']);

/** What one request did, as the counter saw it. */
export interface CountedRequest {
  command: string;
  table: string | undefined;
  input: Record<string, unknown>;
  read: boolean;
  /** Units the server reported (ReturnConsumedCapacity TOTAL), or the estimate for a failed conditional write. */
  units: number;
  failedCondition: boolean;
}

export interface RequestTally {
  requests: number;
  readUnits: number;
  writeUnits: number;
  byCommand: Record<string, number>;
  /** Conditional writes that failed; DynamoDB charges them, dynalite reports nothing: counted as 1 unit each (items under 1 KB). */
  failedConditions: number;
}

export const emptyTally = (): RequestTally => ({ requests: 0, readUnits: 0, writeUnits: 0, byCommand: {}, failedConditions: 0 });

export function addToTally(tally: RequestTally, request: CountedRequest): void {
  tally.requests += 1;
  tally.byCommand[request.command] = (tally.byCommand[request.command] ?? 0) + 1;
  if (request.read) tally.readUnits += request.units;
  else tally.writeUnits += request.units;
  if (request.failedCondition) tally.failedConditions += 1;
}

function reportedUnits(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> } | undefined)?.ConsumedCapacity;
  if (!consumed) return 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

function tableOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.TableName === 'string') return input.TableName;
  const requestItems = input.RequestItems as Record<string, unknown> | undefined;
  return requestItems ? Object.keys(requestItems)[0] : undefined;
}

/**
 * `client` with every `send` counted: each request asks for ReturnConsumedCapacity TOTAL and the
 * reported units go to `onRequest`. Only `send` is wrapped; everything else is the client's own.
 */
export function countingClient(client: DynamoDBDocumentClient, onRequest: (request: CountedRequest) => void): DynamoDBDocumentClient {
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const name = command.constructor.name;
    command.input.ReturnConsumedCapacity = 'TOTAL';
    const counted = { command: name, table: tableOf(command.input), input: command.input, read: READS.has(name) };
    try {
      const output = await (client.send as (command: unknown) => Promise<unknown>)(command);
      onRequest({ ...counted, units: reportedUnits(output), failedCondition: false });
      return output;
    } catch (error) {
      const failedCondition = error instanceof Error && error.name === 'ConditionalCheckFailedException';
      onRequest({ ...counted, units: failedCondition ? 1 : 0, failedCondition });
      throw error;
    }
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The subscriber a request concerns, from its key (`SUB#<id>`), if it names one. */
export function subscriberOf(input: Record<string, unknown>): string | undefined {
  const key = (input.Key ?? input.Item) as { pk?: unknown } | undefined;
  const pk = key?.pk ?? (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'];
  return typeof pk === 'string' && pk.startsWith('SUB#') ? pk.slice(4) : undefined;
}
