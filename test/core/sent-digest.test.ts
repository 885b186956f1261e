// A sent digest's picks made again: as at the moment its papers were selected, with the reasons the reader's feedback gave, over at most a window's days.
import { makePaper } from '../../dev/paper-factory';
import { MAX_WINDOW_DAYS } from '../../lambdas/core/digest-schedule';
import { selectPapersFor } from '../../lambdas/core/select-papers';
import { picksOfSentDigest, recipeDays } from '../../lambdas/core/sent-digest';

const DAY = '2026-12-01';
// Published after the selection ran: no age then, hours of it by the time the day settled.
const late = makePaper({ id: '2612.00001', title: 'Late paper', publishedAt: `${DAY}T07:00:00Z`, listedOn: [DAY], signals: { upvotes: 10 } });
const early = makePaper({ id: '2612.00002', title: 'Early paper', publishedAt: '2026-11-30T00:00:00Z', listedOn: [DAY], signals: { upvotes: 30 } });
const other = makePaper({ id: '2612.00003', title: 'Not sent', publishedAt: '2026-11-30T00:00:00Z', listedOn: [DAY], signals: { upvotes: 50 } });
const selectedAt = `${DAY}T06:00:00.000Z`;
const settledAt = `${DAY}T18:00:00.000Z`;

describe('picksOfSentDigest', () => {
  it("selects as at the recipe's selectedAt, not at the entry's latest status", () => {
    const asSent = selectPapersFor({ topics: '', maxPapers: 2 }, [late, early, other], {
      now: new Date(selectedAt),
      alreadySent: new Set([other.id]),
      limit: 2,
      relevanceFloor: 0,
    });
    const again = picksOfSentDigest([late, early], [late, early, other], { topics: '', selectedAt }, settledAt);
    expect(again.map((pick) => pick.score)).toEqual([late, early].map((paper) => asSent.find((pick) => pick.paper.id === paper.id)!.score));
    // An older recipe without selectedAt falls back to the entry's time, which scores differently here.
    const fallback = picksOfSentDigest([late, early], [late, early, other], { topics: '' }, settledAt);
    expect(fallback.map((pick) => pick.score)).not.toEqual(again.map((pick) => pick.score));
  });

  it('leads a why line with the reason the profile gave that paper, and only that one', () => {
    const reason = 'Like papers you marked: quantization';
    const [first, second] = picksOfSentDigest(
      [late, early],
      [late, early, other],
      { topics: '', selectedAt, profileReasons: { [early.id]: reason } },
      settledAt,
    );
    expect(second!.why[0]).toEqual({ text: `${reason} · ` });
    expect(first!.why.map((part) => part.text).join('')).not.toContain('marked');
    expect(picksOfSentDigest([late], [late], { topics: '', profileReasons: { constructor: 'x' } }, settledAt)[0]!.why[0]!.text).not.toBe('x · ');
  });
});

describe('recipeDays', () => {
  it('lists the window first to last, never more than MAX_WINDOW_DAYS', () => {
    expect(recipeDays({ windowFrom: '2026-11-29', windowTo: DAY })).toEqual(['2026-11-29', '2026-11-30', DAY]);
    expect(recipeDays({ windowFrom: '2026-01-01', windowTo: DAY })).toHaveLength(MAX_WINDOW_DAYS);
  });
});
