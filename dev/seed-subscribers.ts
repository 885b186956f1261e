// Deterministic made-up subscribers with varied topics, zones and limits, for local use and benchmarks.
import type { Subscriber } from '../lambdas/core/model';
import { PAPERS_PER_EMAIL } from '../lambdas/core/subscription';

const TOPICS = [
  '',
  'quantization',
  'reinforcement learning',
  'cat:cs.CL',
  'author:"Tri Dao"',
  'diffusion -video',
  '"language models", agents',
  'cat:cs.CV, segmentation',
  'robotics, "world model"',
  'speech, cat:eess.AS',
  'attention, sparsity',
  'benchmark, multilingual',
];

const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kolkata'];

/** Mulberry32: a tiny seeded PRNG so the same seed always yields the same run (subscribers, a load mix). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` confirmed subscribers numbered from `firstNumber`, addressed at `domain`. */
export function seedSubscribers(options: {
  count: number;
  now: Date;
  newId: () => string;
  firstNumber?: number;
  domain?: string;
  seed?: number;
}): Subscriber[] {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const first = options.firstNumber ?? 1;
  const at = options.now.toISOString();
  return Array.from({ length: options.count }, (_, offset) => ({
    id: options.newId(),
    email: `reader${first + offset}@${options.domain ?? 'example.com'}`,
    status: 'confirmed' as const,
    // Topics go round in order, so even a handful of readers covers different filters.
    topics: TOPICS[(first + offset - 1) % TOPICS.length]!,
    frequency: random() < 0.8 ? ('daily' as const) : ('weekly' as const),
    weekday: 1 + Math.floor(random() * 7),
    hour: 6 + Math.floor(random() * 4),
    timeZone: pick(TIME_ZONES),
    maxPapers: pick([5, PAPERS_PER_EMAIL.default, PAPERS_PER_EMAIL.default, 15, PAPERS_PER_EMAIL.max]),
    paused: false,
    sendEmptyDigest: false,
    consent: { signedUpAt: at, formVersion: 'seed', confirmedAt: at },
    createdAt: at,
    updatedAt: at,
  }));
}
