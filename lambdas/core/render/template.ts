// A logic-less template language (a mustache subset), parsed once from compiled HTML and filled per email.
//
//   {{name}}              the value, escaped
//   {{&name}}             the value as is: only for HTML the renderer built and escaped itself
//   {{#name}}...{{/name}} once for a true value or non-empty string, once per item of a list
//   {{^name}}...{{/name}} once when the value is false, empty, undefined or an empty list
//
// Names resolve in the current list item first, then outward. A name no view defines is an error.

export type TemplateValue = string | boolean | undefined | readonly TemplateView[];

export interface TemplateView {
  readonly [name: string]: TemplateValue;
}

type TemplatePart =
  { kind: 'text'; text: string } | { kind: 'value'; name: string; raw: boolean } | { kind: 'section'; name: string; inverted: boolean; parts: TemplatePart[] };

/** The source has an unbalanced section or a malformed `{{...}}` token. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

/** The view handed to `render` lacks a name the template uses, or gives it the wrong kind of value. */
export class TemplateDataError extends Error {
  override readonly name = 'TemplateDataError';
}

const TOKEN = /\{\{([#^/&]?)([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/** A parsed template; `render` only walks the parts and concatenates escaped values. */
export class Template {
  private constructor(
    private readonly parts: readonly TemplatePart[],
    private readonly escape: (text: string) => string,
  ) {}

  /** Parse `source` once; `escape` is applied to every `{{name}}` value at render time. */
  static parse(source: string, escape: (text: string) => string): Template {
    return new Template(parseParts(source), escape);
  }

  render(view: TemplateView): string {
    return this.renderParts(this.parts, [view]);
  }

  private renderParts(parts: readonly TemplatePart[], scopes: readonly TemplateView[]): string {
    let out = '';
    for (const part of parts) {
      if (part.kind === 'text') {
        out += part.text;
      } else if (part.kind === 'value') {
        const value = lookup(scopes, part.name);
        if (typeof value !== 'string') throw new TemplateDataError(`{{${part.name}}} needs a string`);
        out += part.raw ? value : this.escape(value);
      } else {
        out += this.renderSection(part, scopes);
      }
    }
    return out;
  }

  private renderSection(section: Extract<TemplatePart, { kind: 'section' }>, scopes: readonly TemplateView[]): string {
    const value = lookup(scopes, section.name);
    if (Array.isArray(value)) {
      if (section.inverted) return value.length === 0 ? this.renderParts(section.parts, scopes) : '';
      let out = '';
      for (const item of value as readonly TemplateView[]) out += this.renderParts(section.parts, [item, ...scopes]);
      return out;
    }
    const shown = Boolean(value) !== section.inverted;
    return shown ? this.renderParts(section.parts, scopes) : '';
  }
}

function lookup(scopes: readonly TemplateView[], name: string): TemplateValue {
  for (const scope of scopes) {
    if (Object.hasOwn(scope, name)) return scope[name];
  }
  throw new TemplateDataError(`The view has no value for {{${name}}}`);
}

function parseParts(source: string): TemplatePart[] {
  const root: TemplatePart[] = [];
  const open: Array<{ name: string; parentParts: TemplatePart[] }> = [];
  let parts = root;
  let textStart = 0;
  const pushText = (end: number) => {
    const text = source.slice(textStart, end);
    if (text.includes('{{')) {
      throw new TemplateSyntaxError(`Malformed token near offset ${textStart + text.indexOf('{{')}`);
    }
    if (text) parts.push({ kind: 'text', text });
  };

  for (const match of source.matchAll(TOKEN)) {
    const [token, sigil, name = ''] = match;
    pushText(match.index);
    textStart = match.index + token.length;
    if (sigil === '#' || sigil === '^') {
      const section: TemplatePart = { kind: 'section', name, inverted: sigil === '^', parts: [] };
      parts.push(section);
      open.push({ name, parentParts: parts });
      parts = section.parts;
    } else if (sigil === '/') {
      const closed = open.pop();
      if (closed?.name !== name) {
        throw new TemplateSyntaxError(`{{/${name}}} at offset ${match.index} closes ${closed ? `{{#${closed.name}}}` : 'nothing'}`);
      }
      parts = closed.parentParts;
    } else {
      parts.push({ kind: 'value', name, raw: sigil === '&' });
    }
  }
  pushText(source.length);
  const unclosed = open.pop();
  if (unclosed) throw new TemplateSyntaxError(`{{#${unclosed.name}}} is never closed`);
  return root;
}
