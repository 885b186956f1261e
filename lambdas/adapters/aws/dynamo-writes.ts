// Conditional writes on DynamoDB: a condition that does not hold is an answer (false), any other error throws.
import type { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** True for the error DynamoDB raises when a write's condition does not hold. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The part of DynamoDBDocumentClient a conditional write uses. */
interface WriteClient {
  send(command: PutCommand | UpdateCommand | DeleteCommand): Promise<unknown>;
}

/** Send a write that carries a ConditionExpression: true when it was written, false when its condition did not hold. */
export async function conditionalWrite(client: WriteClient, command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
  try {
    await client.send(command);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
