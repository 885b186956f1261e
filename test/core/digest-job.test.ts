import { readDigestJob } from '../../lambdas/core/digest-job';

describe('readDigestJob', () => {
  it('reads a job', () => {
    expect(readDigestJob('{"subscriberId":"sub-1","localDate":"2026-12-01"}')).toEqual({ ok: true, job: { subscriberId: 'sub-1', localDate: '2026-12-01' } });
  });

  it('reads the schedule the planner put in the job', () => {
    const body = '{"subscriberId":"sub-1","localDate":"2026-12-01","planned":{"frequency":"weekly","lastDigestDate":"2026-11-24"}}';
    expect(readDigestJob(body)).toEqual({
      ok: true,
      job: { subscriberId: 'sub-1', localDate: '2026-12-01', planned: { frequency: 'weekly', lastDigestDate: '2026-11-24' } },
    });
  });

  it.each([
    ['not json', 'the message body is not JSON'],
    ['{"subscriberId":"","localDate":"2026-12-01"}', 'subscriberId: Too small: expected string to have >=1 characters'],
    ['{"subscriberId":"sub-1","localDate":"2026-02-30"}', 'localDate: not a YYYY-MM-DD date'],
    ['[]', '(root): Invalid input: expected object, received array'],
    [
      '{"subscriberId":"sub-1","localDate":"2026-12-01","planned":{"frequency":"hourly"}}',
      'planned.frequency: Invalid option: expected one of "daily"|"weekly"',
    ],
  ])('says what is wrong with %s', (body, problem) => {
    expect(readDigestJob(body)).toEqual({ ok: false, problem });
  });
});
