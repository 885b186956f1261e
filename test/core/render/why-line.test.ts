import { clipWhy, whyHtml, whyText } from '../../../lambdas/core/render/why-line';
import type { WhyPart } from '../../../lambdas/core/model';

const line: WhyPart[] = [
  { text: 'Matches "quantization" in the abstract: …we ' },
  { text: 'quantize', match: true },
  { text: ' the <weights> & activations of ' },
  { text: 'LLMs', match: true },
  { text: ' to four bits…' },
];

describe('why lines', () => {
  it('read as plain text without markup', () => {
    expect(whyText(line)).toBe('Matches "quantization" in the abstract: …we quantize the <weights> & activations of LLMs to four bits…');
  });

  it('set the matched words in bold in HTML and escape every part, matched ones too', () => {
    expect(whyHtml(line)).toBe(
      'Matches &quot;quantization&quot; in the abstract: …we <b>quantize</b> the &lt;weights&gt; &amp; activations of <b>LLMs</b> to four bits…',
    );
    expect(whyHtml([{ text: '<script>alert(1)</script>', match: true }])).toBe('<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>');
  });

  it('keep to one line whatever the parts hold', () => {
    expect(whyText([{ text: 'a\n\tb\u0000 ' }, { text: 'c\u2028d', match: true }])).toBe('a b c d');
  });

  it('clip at a word, with an ellipsis, and the same in text and HTML', () => {
    const clipped = clipWhy(line, 60);
    expect(whyText(clipped)).toBe('Matches "quantization" in the abstract: …we quantize the…');
    expect(whyHtml(clipped)).toBe('Matches &quot;quantization&quot; in the abstract: …we <b>quantize</b> the…');
    expect(whyText(clipped).length).toBeLessThanOrEqual(60);
    expect(clipWhy(line, 500)).toEqual(line);
  });
});
