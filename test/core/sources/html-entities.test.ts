import { decodeHtmlEntities } from '../../../lambdas/core/sources/html-entities';

describe('decodeHtmlEntities', () => {
  it('decodes decimal, hex and named references', () => {
    expect(decodeHtmlEntities('&#177; &#xB1; &#XB1; &plusmn; &pm; &alpha;&beta; &eacute; &mdash; &le; &amp;')).toBe('± ± ± ± ± αβ é — ≤ &');
  });

  it('decodes one level only, so a twice-encoded reference needs a second call', () => {
    expect(decodeHtmlEntities('&amp;#177;')).toBe('&#177;');
  });

  it('leaves unknown names and unterminated references alone', () => {
    expect(decodeHtmlEntities('&bogus; &amp &#177 AT&T')).toBe('&bogus; &amp &#177 AT&T');
  });

  it('turns code points that are not characters into U+FFFD', () => {
    expect(decodeHtmlEntities('&#0; &#xD800; &#x110000;')).toBe('\uFFFD \uFFFD \uFFFD');
  });

  it('decodes astral code points', () => {
    expect(decodeHtmlEntities('&#x1F600;')).toBe('😀');
  });
});
