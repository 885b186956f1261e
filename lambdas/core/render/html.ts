// HTML escaping for any text that goes from a feed into an email or a page (links are vetted by core/safe-url.ts).

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for both HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (char) => HTML_ESCAPES[char] ?? char) : text;
}

const HTML_SPECIALS = /[&<>"']/g;
const HTML_SPECIAL = /[&<>"']/;
