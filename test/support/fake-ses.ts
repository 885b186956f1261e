// Test doubles for SES SendEmail: a fake client throwing the faults a test picks, and (fake-aws.ts) a local HTTP server answering as SES does.
import { SesError, type SendEmailClient, type SendEmailInput } from '../../lambdas/adapters/aws/ses-http';
import { answerJson, startFakeAws, type AwsRequest, type FakeAwsServer } from './fake-aws';

/** An error shaped as the SES client throws it for an SES error answer. */
export function sesError(name: string, message: string, httpStatusCode = 400): SesError {
  return new SesError(name, message, { httpStatusCode });
}

export interface RecordingSes {
  client: SendEmailClient;
  /** Every input, accepted or not, in call order. */
  inputs: SendEmailInput[];
}

/** A SendEmail client that asks `fault(input, call)` before each send (call counts from 0) and throws what it returns; otherwise answers a message id. */
export function recordingSes(fault: (input: SendEmailInput, call: number) => Error | undefined = () => undefined): RecordingSes {
  const inputs: SendEmailInput[] = [];
  const client: SendEmailClient = {
    async sendEmail(input) {
      const call = inputs.length;
      inputs.push(input);
      const error = fault(input, call);
      if (error) throw error;
      return { MessageId: `ses-${call + 1}` };
    },
  };
  return { client, inputs };
}

export { answerJson };
export type SesRequest = AwsRequest;
export type FakeSesServer = FakeAwsServer;
/** A local HTTP server playing SES: records each request with its body, then lets `answer` reply (or not, to hang). */
export const startFakeSes = startFakeAws;
