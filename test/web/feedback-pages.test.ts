import { feedbackPage, feedbackRecordedPage } from '../../lambdas/web/feedback-pages';

const HOSTILE_TEXT = ['<script>alert(1)</script>', '"onmouseover=alert(1) x="', '<img src=x onerror=alert(1)>'].join(' ');

describe('the feedback page', () => {
  it('names the paper and the direction, with one button that posts the token and the vote', () => {
    const page = feedbackPage({
      base: '/prod',
      token: 'tok"en',
      paper: { id: '2611.00001', title: 'Quantizing the KV cache', authors: ['Tri Dao'] },
      vote: 'fewer',
    });
    expect(page).toContain('<h1>Fewer papers like this?</h1>');
    expect(page).toContain('Quantizing the KV cache');
    expect(page).toContain('<form method="post" action="/prod/feedback">');
    expect(page).toContain('<input type="hidden" name="token" value="tok&quot;en">');
    expect(page.match(/<button /g)).toHaveLength(1);
    expect(page).toContain('name="vote" value="fewer">Fewer like this</button>');
    expect(page).toContain('It will not be picked for you again');
  });

  it('offers both directions when the link chose none, and says what was already chosen', () => {
    const page = feedbackPage({ base: '', token: 't', paper: { id: '2611.00001' }, current: 'more' });
    expect(page).toContain('value="more">More like this</button>');
    expect(page).toContain('value="fewer">Fewer like this</button>');
    expect(page).toContain('You already asked for more papers like this one.');
    expect(page).toContain('arXiv 2611.00001');
  });

  it('offers only "Fewer" for a paper no longer kept, whatever the link chose, and says why', () => {
    const page = feedbackPage({ base: '', token: 't', paper: { id: '2611.00001', stored: false }, vote: 'more' });
    expect(page.match(/<button /g)).toHaveLength(1);
    expect(page).toContain('value="fewer">Fewer like this</button>');
    expect(page).toContain('This paper is no longer kept');
    expect(feedbackPage({ base: '', token: 't', paper: { id: '2611.00001', stored: false } }).match(/<button /g)).toHaveLength(1);
  });

  it('escapes whatever the paper says', () => {
    const page = feedbackPage({ base: '', token: 't', paper: { id: '1', title: HOSTILE_TEXT, authors: [HOSTILE_TEXT] }, vote: 'more' });
    const done = feedbackRecordedPage({ base: '', paper: { id: '1', title: HOSTILE_TEXT }, vote: 'more', preferencesUrl: 'javascript:alert(1)' });
    for (const html of [page, done]) {
      expect(html).not.toMatch(/<script>alert|<img /i);
      expect(html).not.toContain('"onmouseover');
    }
    expect(done).not.toContain('javascript:');
  });
});
