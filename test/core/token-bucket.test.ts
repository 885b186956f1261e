import { takeToken, tokenBucket, type TokenBucket } from '../../lambdas/core/token-bucket';

/** Send `count` times as fast as the bucket allows, starting at `start`; returns the send times. */
function sendTimes(bucket: TokenBucket, start: number, count: number): number[] {
  const times: number[] = [];
  let now = start;
  while (times.length < count) {
    const taken = takeToken(bucket, now);
    bucket = taken.bucket;
    if (taken.waitMs === 0) times.push(now);
    else now += taken.waitMs;
  }
  return times;
}

/** Most sends in any window [t, t + windowMs). */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i += 1) most = Math.max(most, times.filter((t) => t >= times[i]! && t < times[i]! + windowMs).length);
  return most;
}

describe('token bucket', () => {
  it('lets the first send go at once and spaces the rest 1/rate apart', () => {
    expect(sendTimes(tokenBucket(5, 1_000), 1_000, 4)).toEqual([1_000, 1_200, 1_400, 1_600]);
  });

  it.each([1, 5, 7, 14])('never holds more sends than the rate (%d) in any one-second window', (rate) => {
    const times = sendTimes(tokenBucket(rate, 0), 0, rate * 10);
    expect(busiestWindow(times, 1_000)).toBe(rate);
  });

  it.each([0.15, 2.1, 5.95])('keeps a fractional rate (%d per second) over every ten-second window', (rate) => {
    const times = sendTimes(tokenBucket(rate, 0), 0, 60);
    expect(busiestWindow(times, 10_000)).toBeLessThanOrEqual(Math.ceil(rate * 10));
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(Math.ceil(rate));
  });

  it('saves no more than its capacity while idle', () => {
    let bucket = tokenBucket(10, 0, 3);
    for (let i = 0; i < 3; i += 1) bucket = takeToken(bucket, 0).bucket;
    const afterIdle = sendTimes(bucket, 60_000, 5);
    expect(afterIdle).toEqual([60_000, 60_000, 60_000, 60_100, 60_200]);
  });

  it('waits, without taking, while empty; a clock going backwards adds nothing', () => {
    const empty = takeToken(tokenBucket(2, 1_000), 1_000).bucket;
    expect(takeToken(empty, 1_100)).toMatchObject({ waitMs: 400, bucket: { tokens: 0.2 } });
    expect(takeToken(empty, 500)).toMatchObject({ waitMs: 500, bucket: { tokens: 0, updatedAtMs: 1_000 } });
  });

  it('refuses a rate or capacity that cannot pace', () => {
    expect(() => tokenBucket(0, 0)).toThrow(RangeError);
    expect(() => tokenBucket(Number.NaN, 0)).toThrow(RangeError);
    expect(() => tokenBucket(1, 0, 0.5)).toThrow(RangeError);
  });
});
