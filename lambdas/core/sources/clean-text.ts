// Turns feed text (titles, abstracts, names) into plain single-line text: entities decoded, markup gone.
import { decodeHtmlEntities } from './html-entities';

/** Feeds encode at most twice in practice ("&amp;#177;"); a third pass is margin. */
const MAX_DECODE_PASSES = 3;
/** Script and style elements: their content is code, not text, so it goes with the tags. */
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
/**
 * An opening, closing or self-closing tag: "<" directly followed by a name, then only whitespace,
 * "/" or attributes before ">". Math such as "a < b" or "$x<y$" has no such shape and is kept.
 */
const TAG = /<\/?([a-zA-Z][\w:-]*)(?:\s[^<>]*)?\/?>/g;
/** Tags that separate words; the others ("<i>", "<sub>") sit inside words, as in "H<sub>2</sub>O". */
const WORD_BREAKING_TAG = /^(?:br|p|div|li|ul|ol|tr|td|th|h[1-6]|hr|blockquote|section|article|header|footer|table)$/i;
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Plain text from feed text: character references decoded (twice-encoded ones such as
 * "&amp;#177;" too), tags removed (script and style elements with their content, since that is
 * code; other elements keep their text), every whitespace run collapsed to one space, trimmed.
 * LaTeX such as "$\alpha$" is kept as it is.
 */
export function cleanText(text: string): string {
  let decoded = text;
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) {
    const next = decodeHtmlEntities(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  let stripped = decoded;
  for (let previous = ''; stripped !== previous;) {
    previous = stripped;
    stripped = stripped.replace(SCRIPT_OR_STYLE, '');
    if (stripped !== previous) continue;
    stripped = stripped.replace(COMMENT, ' ').replace(TAG, (_tag, name: string) => (WORD_BREAKING_TAG.test(name) ? ' ' : ''));
  }
  return stripped.replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim();
}
