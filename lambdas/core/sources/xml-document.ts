// Reads XML feeds into plain objects (namespace prefixes dropped) and picks text and attributes from them.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SourceFormatError } from './source-format-error';

/** A parsed XML element: text, or an object of children, attributes ("@_name") and "#text". */
export type XmlNode = unknown;

/**
 * The document as an object, with prefixes dropped ("arxiv:primary_category" → "primary_category",
 * "opensearch:totalResults" → "totalResults") and the elements named in `repeatedTags` always
 * arrays. Values stay strings. Throws SourceFormatError naming `what` when `xml` is not well-formed.
 */
export function parseXmlDocument(xml: string, what: string, repeatedTags: readonly string[]): Record<string, XmlNode> {
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    throw new SourceFormatError(`${what} is not well-formed XML (${validation.err.code} at line ${validation.err.line})`);
  }
  const repeated = new Set(repeatedTags);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (tagName) => repeated.has(tagName),
  });
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    // Well-formed but refused (external entities, say): the file is bad, not the run. The parser's message may quote the payload.
    throw new SourceFormatError(`${what} was refused by the XML parser (a DOCTYPE or entity it does not accept)`);
  }
  if (typeof document !== 'object' || document === null) throw new SourceFormatError(`${what} is empty`);
  return document as Record<string, XmlNode>;
}

/** The child element `name` of `node`, if `node` is an element. */
export function child(node: XmlNode, name: string): XmlNode {
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, XmlNode>)[name] : undefined;
}

/** The children named `name`, as an array whether there were none, one or many. */
export function children(node: XmlNode, name: string): XmlNode[] {
  const found = child(node, name);
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found];
}

/** The text of an element (with or without attributes), or undefined. */
export function textOf(node: XmlNode): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  const text = child(node, '#text');
  return typeof text === 'string' || typeof text === 'number' ? String(text) : undefined;
}

/** The attribute `name` of an element, or undefined. */
export function attribute(node: XmlNode, name: string): string | undefined {
  const value = child(node, `@_${name}`);
  return typeof value === 'string' ? value : undefined;
}
