// Builds Subscriber records for tests, with overridable defaults.
import type { Subscriber } from '../../lambdas/core/model';

let counter = 0;

export function makeSubscriber(overrides: Partial<Subscriber> = {}): Subscriber {
  counter += 1;
  return {
    id: `sub-${counter.toString().padStart(4, '0')}`,
    email: `reader${counter}@example.com`,
    status: 'confirmed',
    topics: '',
    frequency: 'daily',
    weekday: 1,
    hour: 7,
    timeZone: 'UTC',
    maxPapers: 10,
    paused: false,
    sendEmptyDigest: false,
    consent: { signedUpAt: '2026-11-01T00:00:00.000Z', formVersion: 'test', confirmedAt: '2026-11-01T00:05:00.000Z' },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}
