import { engagementOf, rankByTrending, TRENDING_HALF_LIFE_HOURS, trendingAgeHours, trendingScore } from '../../lambdas/core/trending';
import { makePaper } from '../../dev/paper-factory';

const now = new Date('2026-08-14T12:00:00Z');
const hoursBefore = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();

describe('trendingScore', () => {
  it('is (1 + engagement) when the paper is brand new', () => {
    const paper = makePaper({ publishedAt: now.toISOString(), signals: { upvotes: 10, comments: 3, githubStars: 7 } });
    expect(trendingScore(paper, now)).toBeCloseTo(1 + 10 + 2 * 3 + 2 * Math.log2(8));
  });

  it('grows with each signal', () => {
    const base = { publishedAt: hoursBefore(5) };
    const plain = trendingScore(makePaper(base), now);
    for (const signals of [{ upvotes: 1 }, { comments: 1 }, { githubStars: 1 }]) {
      expect(trendingScore(makePaper({ ...base, signals }), now)).toBeGreaterThan(plain);
    }
    const few = trendingScore(makePaper({ ...base, signals: { upvotes: 5 } }), now);
    const many = trendingScore(makePaper({ ...base, signals: { upvotes: 6 } }), now);
    expect(many).toBeGreaterThan(few);
  });

  it('halves every half-life', () => {
    const signals = { upvotes: 40 };
    const fresh = trendingScore(makePaper({ publishedAt: now.toISOString(), signals }), now);
    const oneHalfLife = trendingScore(makePaper({ publishedAt: hoursBefore(TRENDING_HALF_LIFE_HOURS), signals }), now);
    const twoHalfLives = trendingScore(makePaper({ publishedAt: hoursBefore(2 * TRENDING_HALF_LIFE_HOURS), signals }), now);
    expect(oneHalfLife).toBeCloseTo(fresh / 2);
    expect(twoHalfLives).toBeCloseTo(fresh / 4);
  });

  it('decreases strictly with age', () => {
    const scores = [0, 1, 6, 24, 100].map((hours) => trendingScore(makePaper({ publishedAt: hoursBefore(hours), signals: { upvotes: 3 } }), now));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(new Set(scores).size).toBe(scores.length);
  });

  it('damps stars so a famous repository does not drown upvotes', () => {
    const famousRepo = makePaper({ publishedAt: hoursBefore(1), signals: { githubStars: 50_000 } });
    const wellVoted = makePaper({ publishedAt: hoursBefore(1), signals: { upvotes: 40 } });
    expect(trendingScore(wellVoted, now)).toBeGreaterThan(trendingScore(famousRepo, now));
    expect(engagementOf(famousRepo.signals)).toBeCloseTo(2 * Math.log2(50_001));
  });

  it('treats negative or missing signals as zero', () => {
    expect(engagementOf({ upvotes: -5, comments: Number.NaN, githubStars: -1 })).toBe(0);
  });

  it('never rewards a publication date in the future', () => {
    const future = makePaper({ publishedAt: '2026-08-20T00:00:00Z', signals: { upvotes: 4 } });
    expect(trendingAgeHours(future, now)).toBe(0);
    expect(trendingScore(future, now)).toBe(5);
  });

  it('counts age from the latest listing when a source lists an older paper today', () => {
    const relisted = makePaper({ publishedAt: '2026-07-31T00:00:00Z', listedOn: ['2026-08-01', '2026-08-14'] });
    expect(trendingAgeHours(relisted, now)).toBe(12);
    const notRelisted = makePaper({ publishedAt: '2026-07-31T00:00:00Z' });
    expect(trendingAgeHours(notRelisted, now)).toBe(14 * 24 + 12);
  });

  it('does not decay a paper whose dates do not parse', () => {
    expect(trendingAgeHours(makePaper({ publishedAt: 'not a date' }), now)).toBe(0);
  });
});

describe('rankByTrending', () => {
  it('orders by score, best first', () => {
    const low = makePaper({ signals: { upvotes: 1 } });
    const high = makePaper({ signals: { upvotes: 30 } });
    const middle = makePaper({ signals: { upvotes: 8 } });
    expect(rankByTrending([low, high, middle], now)).toEqual([high, middle, low]);
  });

  it('lets a fresher paper overtake an older one with more votes', () => {
    const older = makePaper({ publishedAt: hoursBefore(96), signals: { upvotes: 30 } });
    const fresher = makePaper({ publishedAt: hoursBefore(2), signals: { upvotes: 10 } });
    expect(rankByTrending([older, fresher], now)).toEqual([fresher, older]);
  });

  it('keeps the same order whenever it is computed', () => {
    const papers = [
      makePaper({ publishedAt: hoursBefore(50), signals: { upvotes: 60 } }),
      makePaper({ publishedAt: hoursBefore(3), signals: { upvotes: 12, comments: 2 } }),
      makePaper({ publishedAt: hoursBefore(20), signals: { githubStars: 900 } }),
    ];
    const later = new Date(now.getTime() + 9 * 3_600_000);
    expect(rankByTrending(papers, later).map((p) => p.id)).toEqual(rankByTrending(papers, now).map((p) => p.id));
  });

  it('breaks score ties by newer publication, then by id', () => {
    const older = makePaper({ id: '2608.00003', publishedAt: '2026-08-10T00:00:00Z', listedOn: ['2026-08-14'] });
    const newerB = makePaper({ id: '2608.00002', publishedAt: '2026-08-12T00:00:00Z', listedOn: ['2026-08-14'] });
    const newerA = makePaper({ id: '2608.00001', publishedAt: '2026-08-12T00:00:00Z', listedOn: ['2026-08-14'] });
    expect(trendingScore(older, now)).toBe(trendingScore(newerA, now));
    const expected = ['2608.00001', '2608.00002', '2608.00003'];
    expect(rankByTrending([older, newerB, newerA], now).map((p) => p.id)).toEqual(expected);
    expect(rankByTrending([newerA, older, newerB], now).map((p) => p.id)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const papers = [makePaper({ signals: { upvotes: 1 } }), makePaper({ signals: { upvotes: 2 } })];
    const before = [...papers];
    rankByTrending(papers, now);
    expect(papers).toEqual(before);
  });
});
