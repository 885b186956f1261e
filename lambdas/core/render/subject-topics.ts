// A subscriber's topic filter as plain words for a subject line: `quantization, language model, computation and language`.
import { parseTopicFilter, type Topic, type TopicClause } from '../topic-filter';
import { singleLine, truncateAtWordBoundary } from './text-format';

/** Short names of the arXiv categories readers pick most; others read as written (`cs.DS`). */
const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  'cs.ai': 'AI',
  'cs.cl': 'computation and language',
  'cs.cv': 'computer vision',
  'cs.lg': 'machine learning',
  'cs.ir': 'information retrieval',
  'cs.ro': 'robotics',
  'cs.ne': 'neural computing',
  'cs.cr': 'security',
  'cs.se': 'software engineering',
  'cs.hc': 'human-computer interaction',
  'cs.ma': 'multi-agent systems',
  'cs.sd': 'sound',
  'eess.as': 'speech',
  'eess.iv': 'image processing',
  'stat.ml': 'machine learning',
};

/** `cat:cs.*` covers a whole archive. */
const ARCHIVE_NAMES: Readonly<Record<string, string>> = {
  cs: 'computer science',
  stat: 'statistics',
  eess: 'electrical engineering',
  math: 'mathematics',
  physics: 'physics',
  'q-bio': 'quantitative biology',
};

function clauseWords(clause: TopicClause): string {
  switch (clause.kind) {
    case 'text':
      return clause.text.replaceAll('"', '');
    case 'author':
      return clause.name;
    case 'category': {
      if (clause.isPrefix) {
        const archive = clause.category.slice(0, -1);
        return ARCHIVE_NAMES[archive] ?? `${archive}.*`;
      }
      return CATEGORY_NAMES[clause.category] ?? clause.text.slice('cat:'.length);
    }
  }
}

/**
 * One topic in words. Exclusions are left out (a subject says what a digest is about), unless they
 * are all the topic has: `-survey` reads `anything but survey`.
 */
function topicWords(topic: Topic): string {
  if (topic.include.length === 0) return `anything but ${topic.exclude.map(clauseWords).join(' or ')}`;
  return topic.include.map(clauseWords).join(' ');
}

/**
 * The topics of a filter as plain words, duplicates dropped, cut at a word to `maxLength` with an
 * ellipsis; '' for no filter. A filter that no longer parses is shown as written, without quotes.
 */
export function readableTopics(filter: string, maxLength: number): string {
  const text = singleLine(filter);
  let words: string[];
  try {
    words = parseTopicFilter(text).topics.map(topicWords);
  } catch {
    words = [text.replaceAll('"', '')];
  }
  return truncateAtWordBoundary([...new Set(words)].filter(Boolean).join(', '), maxLength);
}
