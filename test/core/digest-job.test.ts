import { readDigestJob } from '../../lambdas/core/digest-job';

describe('readDigestJob', () => {
  it('reads a job', () => {
    expect(readDigestJob('{"subscriberId":"sub-1","localDate":"2026-12-01"}')).toEqual({ ok: true, job: { subscriberId: 'sub-1', localDate: '2026-12-01' } });
  });

  it.each([
    ['not json', 'the message body is not JSON'],
    ['{"subscriberId":"","localDate":"2026-12-01"}', 'subscriberId: Too small: expected string to have >=1 characters'],
    ['{"subscriberId":"sub-1","localDate":"2026-02-30"}', 'localDate: not a YYYY-MM-DD date'],
    ['[]', '(root): Invalid input: expected object, received array'],
  ])('says what is wrong with %s', (body, problem) => {
    expect(readDigestJob(body)).toEqual({ ok: false, problem });
  });
});
