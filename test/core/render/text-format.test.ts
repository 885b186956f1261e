import { safeHttpUrl } from '../../../lambdas/core/safe-url';
import {
  formatCount,
  formatLongDate,
  formatShortDate,
  shortenAuthorList,
  singleLine,
  truncateAtWordBoundary,
  wrapText,
} from '../../../lambdas/core/render/text-format';

describe('truncateAtWordBoundary', () => {
  it('leaves short text alone and cuts long text at a space, ellipsis included in the limit', () => {
    expect(truncateAtWordBoundary('short text', 20)).toBe('short text');
    expect(truncateAtWordBoundary('alpha beta gamma delta', 15)).toBe('alpha beta…');
  });

  it('drops punctuation before the ellipsis and cuts mid-word only when no space is near', () => {
    expect(truncateAtWordBoundary('one, two, three, four', 12)).toBe('one, two…');
    expect(truncateAtWordBoundary('a supercalifragilisticexpialidocious', 12)).toBe('a supercali…');
  });

  it('never splits a surrogate pair', () => {
    expect(truncateAtWordBoundary('x'.repeat(8) + '😀😀😀', 10)).toBe('x'.repeat(8) + '…');
  });
});

describe('shortenAuthorList', () => {
  it('names up to three authors, then et al.', () => {
    expect(shortenAuthorList(['A', 'B', 'C'])).toBe('A, B, C');
    expect(shortenAuthorList(['A', 'B', 'C', 'D'])).toBe('A, B, C et al.');
    expect(shortenAuthorList([' A\n Smith ', '', 'B'], 1)).toBe('A Smith et al.');
    expect(shortenAuthorList([])).toBe('');
  });
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [-5, '0'],
    [Number.NaN, '0'],
    [987, '987'],
    [4321, '4,321'],
    [12345, '12.3k'],
    [123456, '123k'],
    [999_999, '1M'],
    [2_500_000, '2.5M'],
    [987_654_321, '988M'],
    [3e12, '3,000B'],
    [1e305, '1,000,000B+'],
    [Number.POSITIVE_INFINITY, '1,000,000B+'],
  ])('%p -> %p', (count, expected) => expect(formatCount(count)).toBe(expected));
});

describe('dates', () => {
  it('formats a YYYY-MM-DD day without a time zone shift', () => {
    expect(formatLongDate('2026-11-28')).toBe('Saturday 28 November 2026');
    expect(formatShortDate('2026-01-01')).toBe('Thu 1 Jan');
    expect(() => formatLongDate('2026-02-30')).toThrow(RangeError);
  });
});

describe('singleLine and wrapText', () => {
  it('removes control and direction-override characters and collapses whitespace', () => {
    expect(singleLine(' a\n\tb\u202e c\u0000 ')).toBe('a b c');
  });

  it('wraps at spaces and gives an over-long word its own line', () => {
    expect(wrapText('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapText('aa https://very.long/url bb', 8)).toEqual(['aa', 'https://very.long/url', 'bb']);
  });
});

describe('safeHttpUrl', () => {
  it('keeps absolute http(s) URLs, normalised', () => {
    expect(safeHttpUrl(' https://GitHub.com/a b ')).toBe('https://github.com/a%20b');
    expect(safeHttpUrl('http://x.example/?q="<>"')).toBe('http://x.example/?q=%22%3C%3E%22');
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '//host/path', 'mailto:a@b.c', '', undefined])(
    'drops %p',
    (url) => expect(safeHttpUrl(url)).toBeUndefined(),
  );

  it.each(['https://user:pass@github.com/x', 'https://user@github.com/x', 'https://:pass@github.com/x', 'http://a%40b:c@host.example/'])(
    'drops %p: a link with credentials never reaches an email (issue 9, defect 12)',
    (url) => expect(safeHttpUrl(url)).toBeUndefined(),
  );

  it('drops over-long URLs instead of cutting them', () => {
    expect(safeHttpUrl(`https://x.example/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});

describe('lone UTF-16 surrogates (issue 9, defect 12)', () => {
  it('singleLine strips a lone high or low surrogate and keeps a well-formed pair', () => {
    expect(singleLine('a\uD800b \uDC00c \uD83D\uDE00')).toBe('ab c \uD83D\uDE00');
    expect(singleLine('\uD83D')).toBe('');
  });
});
