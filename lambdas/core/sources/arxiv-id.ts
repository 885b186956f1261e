// arXiv identifiers and category names: normalising the ways ids are written, and the links made from them.

/** New-style id "YYMM.NNNNN" (four digits after the dot before 2015), optional version. */
const NEW_STYLE_ID = /^(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$/;
/** Old-style id "archive[.SUBJECT]/YYMMNNN", e.g. "cond-mat/0011267" or "math.GT/0309136". */
const OLD_STYLE_ID = /^([a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?\/\d{7})(?:v\d+)?$/;
/** What may stand in front of the id: a URL to an abstract/PDF/HTML page, an OAI or "arXiv:" prefix. */
const ID_PREFIX = /^(?:(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/|oai:arxiv\.org:|arxiv:)/i;

/**
 * The arXiv id without version ("2406.12345", "cond-mat/0011267"), from a bare id, an
 * abs/pdf/html URL, an OAI identifier or an "arXiv:" reference; undefined for anything else.
 */
export function normaliseArxivId(raw: string): string | undefined {
  let candidate = raw.trim().replace(ID_PREFIX, '');
  candidate = candidate
    .replace(/[?#].*$/, '')
    .replace(/\/$/, '')
    .replace(/\.pdf$/i, '');
  const newStyle = NEW_STYLE_ID.exec(candidate);
  if (newStyle) {
    const [, year = '', month = '', serial = ''] = newStyle;
    const monthNumber = Number(month);
    if (monthNumber < 1 || monthNumber > 12) return undefined;
    const fiveDigitEra = Number(year) >= 15;
    if (serial.length !== (fiveDigitEra ? 5 : 4)) return undefined;
    return `${year}${month}.${serial}`;
  }
  const oldStyle = OLD_STYLE_ID.exec(candidate);
  if (oldStyle) {
    const [, id = ''] = oldStyle;
    const serialStart = id.indexOf('/') + 1;
    const month = Number(id.slice(serialStart + 2, serialStart + 4));
    return month >= 1 && month <= 12 ? id : undefined;
  }
  return undefined;
}

/** The abstract page and PDF links of an arXiv id (without version, so they follow the latest). */
export function arxivLinks(id: string): { abs: string; pdf: string } {
  return { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` };
}

/** An arXiv category or archive name ("cs.LG", "math.GT", "cond-mat.str-el", "hep-th"), not an MSC/ACM code. */
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$/;

/** Whether `term` looks like an arXiv category rather than an MSC ("53C25") or ACM ("I.2.7") class. */
export function isArxivCategory(term: string): boolean {
  return ARXIV_CATEGORY.test(term);
}
