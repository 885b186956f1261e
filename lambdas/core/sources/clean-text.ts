// Turns feed text (titles, abstracts, names) into plain single-line text: entities decoded, markup gone.
import { decodeHtmlEntities } from './html-entities';

/** Feeds encode at most twice in practice ("&amp;#177;"); a third pass is margin. */
const MAX_DECODE_PASSES = 3;
/**
 * Markup removal repeats so that tags hidden inside tags ("<scr<script></script>ipt>") go too;
 * a few passes undo any real double encoding, and a cap keeps crafted nesting from costing n passes.
 * What survives the cap is shown as text, escaped like every other text.
 */
const MAX_MARKUP_PASSES = 8;
/**
 * The opening tag of a script or style element: their content is code, not text, so it goes with
 * the tags. "[^<>]" rather than "[^>]": from every "<script" the search stops at the next "<", so
 * thousands of "<script" openers without ">" cost one scan, not one scan each.
 */
const CODE_ELEMENT_OPENER = /<(script|style)\b[^<>]*>/gi;
const CODE_ELEMENT_CLOSER: Record<string, RegExp> = { script: /<\/script\s*>/gi, style: /<\/style\s*>/gi };
/** Lone UTF-16 surrogates: half a character, which mail headers and DynamoDB cannot carry. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
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
  for (let pass = 0; pass < MAX_MARKUP_PASSES; pass++) {
    const next = removeMarkup(stripped);
    if (next === stripped) break;
    stripped = next;
  }
  return withoutLoneSurrogates(stripped.replace(CONTROL_CHARACTERS, '')).replace(/\s+/g, ' ').trim();
}

/** `text` without lone UTF-16 surrogates (a well-formed pair is one character and stays). */
export function withoutLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATES, '');
}

/** One pass: script and style elements if there are any, else comments and tags. */
function removeMarkup(text: string): string {
  const withoutCode = removeCodeElements(text);
  if (withoutCode !== text) return withoutCode;
  return text.replace(COMMENT, ' ').replace(TAG, (_tag, name: string) => (WORD_BREAKING_TAG.test(name) ? ' ' : ''));
}

/**
 * `text` without script and style elements, in one left-to-right scan: each search starts where
 * the last ended. An element that is never closed takes the rest of the text with it, as in a browser.
 */
function removeCodeElements(text: string): string {
  const opener = new RegExp(CODE_ELEMENT_OPENER);
  let kept = '';
  let from = 0;
  for (let open = opener.exec(text); open !== null; open = opener.exec(text)) {
    kept += text.slice(from, open.index);
    const closer = new RegExp(CODE_ELEMENT_CLOSER[open[1]!.toLowerCase()]!);
    closer.lastIndex = opener.lastIndex;
    if (closer.exec(text) === null) return kept;
    from = closer.lastIndex;
    opener.lastIndex = from;
  }
  return from === 0 ? text : kept + text.slice(from);
}
