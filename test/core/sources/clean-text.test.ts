import { cleanText } from '../../../lambdas/core/sources/clean-text';

describe('cleanText', () => {
  it('collapses wrapped lines and indentation to single spaces and trims', () => {
    expect(cleanText('  ConvNets: Hierarchical Backbones for Large Multimodal\n  Models \t')).toBe(
      'ConvNets: Hierarchical Backbones for Large Multimodal Models',
    );
  });

  it('decodes named and numeric entities', () => {
    expect(cleanText('Tom &amp; Jerry &#177; &#x3B1; &lt;3')).toBe('Tom & Jerry ± α <3');
  });

  it('decodes a twice-encoded entity once more', () => {
    expect(cleanText('Within &amp;#177;1%')).toBe('Within ±1%');
  });

  it('leaves an ampersand that starts no terminated entity alone', () => {
    expect(cleanText('R&D &notation AT&T')).toBe('R&D &notation AT&T');
  });

  it('drops script elements with their content and keeps the text of other elements', () => {
    expect(cleanText('Safe <script>alert(1)</script>Rendering of <i>Untrusted</i> Titles')).toBe('Safe Rendering of Untrusted Titles');
    expect(cleanText('<style>p{}</style><b>Bold</b> move')).toBe('Bold move');
  });

  it('removes markup that arrives entity-encoded', () => {
    expect(cleanText('Hello &lt;img src=x onerror=alert(1)&gt;world')).toBe('Hello world');
  });

  it('does not reassemble a tag from the pieces around a removed one', () => {
    expect(cleanText('<scr<script>x</script>ipt>alert(1)</script>ok')).toBe('ok');
  });

  it('keeps words apart across block tags and together across inline ones', () => {
    expect(cleanText('line one<br/>line two')).toBe('line one line two');
    expect(cleanText('H<sub>2</sub>O')).toBe('H2O');
  });

  it('keeps LaTeX and comparisons that are not tags', () => {
    expect(cleanText('$\\alpha$-Flow for $x<y$ when a < b and c > d')).toBe('$\\alpha$-Flow for $x<y$ when a < b and c > d');
  });

  it('removes control characters', () => {
    expect(cleanText('Bell\u0007 and\u0000 null')).toBe('Bell and null');
  });

  it('returns an empty string for whitespace', () => {
    expect(cleanText(' \n\t ')).toBe('');
  });
});
