// A local HTTP server answering as an AWS JSON service does (SES, SQS, Secrets Manager), and a SigV4 signature recomputed from the spec to check requests against.
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { startLocalServer } from './local-server';
import { readBody } from '../../dev/ses-send-events';

export interface AwsRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeAwsServer {
  /** http://127.0.0.1:PORT, the endpoint to give the client. */
  endpoint: string;
  requests: AwsRequest[];
  close(): Promise<void>;
}

/** Records each request with its body, then lets `answer` reply (or not, to hang). */
export async function startFakeAws(answer: (response: ServerResponse, request: AwsRequest) => void): Promise<FakeAwsServer> {
  const requests: AwsRequest[] = [];
  const server = await startLocalServer(async (incoming, response) => {
    const request = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: (await readBody(incoming)).toString('utf8') };
    requests.push(request);
    answer(response, request);
  });
  return { endpoint: server.baseUrl, requests, close: () => server.close() };
}

/** Answer as AWS does: JSON with a status, a request id and, for errors, whatever type headers the test gives. */
export function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...headers });
  response.end(JSON.stringify(body));
}

/** The request body parsed as JSON. */
export const jsonBody = <T>(request: AwsRequest): T => JSON.parse(request.body) as T;

/** SigV4 signature of a received request, computed from the spec (not through the signer under test). */
export function signatureOf(request: AwsRequest, secretAccessKey: string): string {
  const authorization = request.headers.authorization!;
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!;
  const scope = /Credential=[^/]+\/([^,]+)/.exec(authorization)![1]!;
  const [day, region, service] = scope.split('/');
  const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(request.headers[name]).trim()}\n`)
    .join('');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaders, hex(request.body)].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', request.headers['x-amz-date'], scope, hex(canonicalRequest)].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const key = [day!, region!, service!, 'aws4_request'].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secretAccessKey}`);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** The signature the request carries in its Authorization header. */
export const signatureIn = (request: AwsRequest): string | undefined => /Signature=([0-9a-f]{64})$/.exec(request.headers.authorization ?? '')?.[1];
