import { DEFAULT_SES_MAX_SEND_RATE, sendingPlan } from '../../lambdas/core/send-rate';

describe('sendingPlan', () => {
  it.each([1, 2, DEFAULT_SES_MAX_SEND_RATE, 50, 200, 1000])('never plans more than %s emails a second in all', (rate) => {
    const plan = sendingPlan(rate);
    expect(plan.digestSenders * plan.perSenderRate + plan.confirmationRate).toBeCloseTo(rate, 9);
    expect(plan.confirmationRate).toBeGreaterThan(0);
    expect(plan.digestSenders).toBeGreaterThanOrEqual(2);
    expect(Number.isInteger(plan.digestSenders)).toBe(true);
  });

  it('adds senders as the rate grows, keeping each at a pace one sender can hold', () => {
    expect(sendingPlan(14).digestSenders).toBe(2);
    expect(sendingPlan(200).digestSenders).toBe(17);
    expect(sendingPlan(200).perSenderRate).toBeLessThanOrEqual(10);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %s', (rate) => {
    expect(() => sendingPlan(rate)).toThrow(RangeError);
  });
});
