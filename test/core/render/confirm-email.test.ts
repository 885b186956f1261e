import { renderConfirmationEmail } from '../../../lambdas/core/render/confirm-email';

const confirmUrl = 'https://papertrend.example/confirm?source=email&token=abc.DEF_123-x';
const postalAddress = 'Papertrend\n1 Example Street\n10115 Berlin';
const TAG = /<\/?[a-z][^>]*>/i;
const htmlBytes = (html: string) => new TextEncoder().encode(html).byteLength;

describe('renderConfirmationEmail', () => {
  const email = renderConfirmationEmail({ address: 'jane.doe+papers@example.org', confirmUrl, postalAddress });

  it('has the agreed subject', () => {
    expect(email.subject).toBe('Confirm your Papertrend subscription');
  });

  it('names the address and links to the confirm page in both parts', () => {
    const request = 'Someone (hopefully you) asked to send Papertrend&#39;s research digests to jane.doe+papers@example.org.';
    expect(email.html).toContain(request);
    expect(email.html).toContain('href="https://papertrend.example/confirm?source=email&amp;token=abc.DEF_123-x"');
    expect(email.text).toContain("Someone (hopefully you) asked to send Papertrend's research digests to");
    expect(email.text).toContain('jane.doe+papers@example.org.');
    expect(email.text).toContain(`\n${confirmUrl}\n`);
  });

  it('says what the link does, when it expires, and what to do if it was not you, in both parts', () => {
    for (const part of [email.html, email.text.replace(/\s+/g, ' ')]) {
      const decoded = part.replace(/&#39;/g, "'");
      expect(decoded).toContain('Opening the link shows one button; nothing happens until you press it.');
      expect(decoded).toContain('The link expires in 7 days.');
      expect(decoded).toContain("If it wasn't you, ignore this email: without confirmation we never write to this address again.");
    }
  });

  it('ends with the postal address, line by line', () => {
    expect(email.html).toContain('Papertrend<br>1 Example Street<br>10115 Berlin');
    expect(email.text.trimEnd().endsWith('Papertrend\n1 Example Street\n10115 Berlin')).toBe(true);
  });

  it('leaves no placeholder unfilled and stays small', () => {
    expect(email.html).not.toContain('{{');
    expect(email.html).not.toContain('}}');
    expect(email.text).not.toContain('{{');
    expect(htmlBytes(email.html)).toBeLessThan(20_000);
  });

  it('has a readable text part with no HTML in it', () => {
    expect(email.text).not.toMatch(TAG);
    expect(email.text).not.toMatch(/&(amp|lt|gt|quot|#39);/);
    for (const line of email.text.split('\n')) {
      if (line !== confirmUrl) expect(line.length).toBeLessThanOrEqual(72);
    }
  });

  it('escapes a hostile address and postal address in the HTML', () => {
    const hostile = renderConfirmationEmail({
      address: 'a+<b>@x.com',
      confirmUrl,
      postalAddress: '<script>alert(1)</script>\n"Quoted" & Co',
    });
    expect(hostile.html).toContain('a+&lt;b&gt;@x.com');
    expect(hostile.html).not.toContain('<b>');
    expect(hostile.html).not.toContain('<script>');
    expect(hostile.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>&quot;Quoted&quot; &amp; Co');
    expect(hostile.text).toContain('a+<b>@x.com');
  });

  it('escapes quotes in the confirm link so it cannot leave its href', () => {
    const quoted = renderConfirmationEmail({ address: 'a@x.com', confirmUrl: 'https://papertrend.example/confirm?t=a"onmouseover="x\'y', postalAddress });
    expect(quoted.html).not.toMatch(/href="[^"]*"onmouseover/);
    expect(quoted.html).not.toContain("'y");
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', '/confirm?token=abc', 'mailto:a@x.com', '', 'not a url'])(
    'throws for a confirm link that is not absolute http(s): %j',
    (unsafe) => {
      expect(() => renderConfirmationEmail({ address: 'a@x.com', confirmUrl: unsafe, postalAddress })).toThrow(/absolute http/);
    },
  );

  it('takes no input beyond the address, the link and the postal address', () => {
    const withExtras = { address: 'a@x.com', confirmUrl, postalAddress, topics: 'SECRET-TOPIC' };
    const rendered = renderConfirmationEmail(withExtras);
    expect(JSON.stringify(rendered)).not.toContain('SECRET-TOPIC');
  });
});
