// Why lines for topics with words: where the paper matched, and a short snippet around the matched words.
import { whyText } from '../../lambdas/core/render/why-line';
import { buildPaperIndex, selectPapersFor } from '../../lambdas/core/select-papers';
import { MAX_SNIPPET_LENGTH } from '../../lambdas/core/why-picked';
import type { Paper } from '../../lambdas/core/model';
import { makePaper } from '../../dev/paper-factory';

const now = new Date('2026-08-14T12:00:00Z');
const filler = (words: number) => Array.from({ length: words }, (_, n) => `filler${n}`).join(' ');

function whyOf(topics: string, paper: Paper, others: Paper[] = []) {
  const picked = selectPapersFor({ topics, maxPapers: 5 }, buildPaperIndex([paper, ...others], now), { now, alreadySent: new Set(), relevanceFloor: 0 });
  return picked.find((pick) => pick.paper.id === paper.id)?.why ?? [];
}

describe('why lines of topics with words', () => {
  it('quote at most ~140 characters of the abstract around the matched words, in bold, cut at words with ellipses', () => {
    const paper = makePaper({
      title: 'Efficient inference for language models',
      abstract: `${filler(40)} We study post-training quantization of large language models at four bits. ${filler(40)}`,
    });
    const why = whyOf('quantization', paper);
    const text = whyText(why);
    expect(text).toMatch(/^Matches "quantization" in the abstract: …/);
    const snippet = text.slice(text.indexOf(': ') + 2);
    expect(snippet.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH + 2);
    expect(snippet).toMatch(/^…filler\d+ .*We study post-training quantization of large language models at four bits\. .*filler\d+…$/);
    expect(why.filter((part) => part.match)).toEqual([{ text: 'quantization', match: true }]);
  });

  it("prefers the stretch holding most of the topic's words", () => {
    const paper = makePaper({
      title: 'Notes',
      abstract: `Speculative methods appear early. ${filler(30)} Our speculative decoding drafts tokens in parallel. ${filler(30)}`,
    });
    const matched = whyOf('speculative decoding', paper)
      .filter((part) => part.match)
      .map((part) => part.text);
    expect(matched).toEqual(['speculative', 'decoding']);
  });

  it('says the title and abstract both matched, quoting the abstract past what the card shows (the card already shows the title)', () => {
    const paper = makePaper({ title: 'Quantization at scale', abstract: `${filler(60)} We quantize weights.` });
    expect(whyText(whyOf('quantization', paper))).toMatch(/^Matches "quantization" in the title and abstract: …filler\d+ .*We quantize weights\.$/);
  });

  it('quotes nothing the card already shows: a match in the title or the opening of the abstract is named, not repeated', () => {
    const inTitle = makePaper({ title: 'Quantized LLMs at scale', abstract: 'We study serving costs.' });
    const inOpening = makePaper({ title: 'Serving at scale', abstract: `We quantize weights. ${filler(60)}` });
    expect(whyOf('quantization', inTitle)).toEqual([{ text: 'Matches "quantization" in the title' }]);
    expect(whyOf('quantization', inOpening)).toEqual([{ text: 'Matches "quantization" in the abstract' }]);
  });

  it('quotes a later match when the card shows the first one', () => {
    const paper = makePaper({
      title: 'Serving at scale',
      abstract: `We quantize weights. ${filler(60)} Quantized models then serve twice as fast. ${filler(20)}`,
    });
    const why = whyOf('quantization', paper);
    expect(why.filter((part) => part.match)).toEqual([{ text: 'Quantized', match: true }]);
  });

  it('puts no ellipsis after a snippet that ends its sentence', () => {
    const paper = makePaper({ title: 'Notes', abstract: `${filler(60)} We quantize weights. ${filler(40)}` });
    const text = whyText(whyOf('quantization', paper));
    expect(text).not.toMatch(/\.…$/);
  });

  it('names matching keywords when neither title nor abstract has the words', () => {
    const paper = makePaper({ title: 'Notes', abstract: 'Nothing here.', keywords: ['world model', 'robot arms', 'planning'] });
    expect(whyOf('world models', paper)).toEqual([{ text: 'Matches "world models" in its keywords: ' }, { text: 'world model', match: true }]);
  });

  it("gives the card where the topic's words are in the abstract, for it to set them in bold", () => {
    const paper = makePaper({ title: 'Serving at scale', abstract: `We  quantize weights.\n${filler(60)} Quantized models serve faster.` });
    const picked = selectPapersFor({ topics: 'quantization', maxPapers: 5 }, buildPaperIndex([paper], now), { now, alreadySent: new Set(), relevanceFloor: 0 });
    const oneLine = paper.abstract.replace(/\s+/g, ' ');
    expect(picked[0]?.abstractMatches?.map(({ start, end }) => oneLine.slice(start, end))).toEqual(['quantize', 'Quantized']);
  });
});
