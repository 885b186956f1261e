// HTML escaping and link vetting for any text that goes from a feed into an email or a page.

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Longest link kept; longer ones are dropped rather than cut into a broken address. */
export const MAX_URL_LENGTH = 2048;

/** Text made safe for both HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (char) => HTML_ESCAPES[char] ?? char) : text;
}

const HTML_SPECIALS = /[&<>"']/g;
const HTML_SPECIAL = /[&<>"']/;

/**
 * The normalised form of an absolute http(s) URL with a host, or undefined for anything else
 * (javascript:, data:, relative or malformed links, over-long addresses).
 */
export function safeHttpUrl(candidate: string | undefined): string | undefined {
  const trimmed = candidate?.trim();
  if (!trimmed) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return undefined;
  return url.href.length <= MAX_URL_LENGTH ? url.href : undefined;
}
