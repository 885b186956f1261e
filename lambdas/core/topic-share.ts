// Shares a digest's places among a reader's topics: each topic with matches gets a turn before any gets a second.

/** A paper's standing in one topic's own ranking. */
export interface TopicCandidate {
  documentNumber: number;
  topicNumber: number;
  /** The paper's score within that topic, multi-topic bonus included. */
  score: number;
}

/** Extra weight for each further topic a paper matches: a paper two of the reader's topics want is worth more to them. */
export const MULTI_TOPIC_BONUS = 0.25;

/** `score` raised by MULTI_TOPIC_BONUS for each topic past the first that the paper matches. */
export function multiTopicScore(score: number, topicsMatched: number): number {
  return score * (1 + MULTI_TOPIC_BONUS * Math.max(0, topicsMatched - 1));
}

const byScore = (a: TopicCandidate, b: TopicCandidate) => b.score - a.score || a.documentNumber - b.documentNumber;

/**
 * Up to `limit` papers in digest order, taken in rounds: in each round every topic with papers
 * left offers its best one not yet taken, strongest offer first, so no broad topic fills the
 * digest before a narrow one has had a turn. A paper several topics offer is taken once.
 */
export function takeTurns(candidates: readonly TopicCandidate[], limit: number): TopicCandidate[] {
  const queues = new Map<number, TopicCandidate[]>();
  for (const candidate of candidates) {
    const queue = queues.get(candidate.topicNumber);
    if (queue) queue.push(candidate);
    else queues.set(candidate.topicNumber, [candidate]);
  }
  const remaining = [...queues.values()].map((queue) => ({ queue: queue.sort(byScore), next: 0 }));
  const taken = new Set<number>();
  const picked: TopicCandidate[] = [];
  const headOf = (entry: { queue: TopicCandidate[]; next: number }) => {
    while (entry.next < entry.queue.length && taken.has(entry.queue[entry.next]?.documentNumber ?? -1)) entry.next += 1;
    return entry.queue[entry.next];
  };
  while (picked.length < limit) {
    const offering = remaining.filter((entry) => headOf(entry) !== undefined);
    if (offering.length === 0) break;
    offering.sort((a, b) => byScore(headOf(a) as TopicCandidate, headOf(b) as TopicCandidate));
    for (const entry of offering) {
      const offer = headOf(entry);
      if (!offer || picked.length >= limit) continue;
      taken.add(offer.documentNumber);
      picked.push(offer);
      entry.next += 1;
    }
  }
  return picked;
}
