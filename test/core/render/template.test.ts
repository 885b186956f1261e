import { escapeHtml } from '../../../lambdas/core/render/html';
import { Template, TemplateDataError, TemplateSyntaxError } from '../../../lambdas/core/render/template';

const html = (source: string) => Template.parse(source, escapeHtml);

describe('Template', () => {
  it('escapes values in text and attributes', () => {
    expect(html('<a href="{{url}}">{{label}}</a>').render({ url: 'https://x.example/?a=1&b="2"', label: '<b>' })).toBe(
      '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">&lt;b&gt;</a>',
    );
  });

  it('repeats a section per list item, resolving names in the item first, then outward', () => {
    const template = html('{{#items}}[{{name}} of {{owner}}{{^first}}, later{{/first}}]{{/items}}');
    const view = {
      owner: 'Ann',
      items: [
        { name: 'a', first: true },
        { name: 'b', first: false },
      ],
    };
    expect(template.render(view)).toBe('[a of Ann][b of Ann, later]');
  });

  it('shows a section for a set value and an inverted one for an unset value or empty list', () => {
    const template = html('{{#title}}T={{title}}{{/title}}{{^title}}untitled{{/title}}{{^items}} none{{/items}}');
    expect(template.render({ title: 'x', items: [] })).toBe('T=x none');
    expect(template.render({ title: undefined, items: [{}] })).toBe('untitled');
    expect(template.render({ title: '', items: [{}] })).toBe('untitled');
  });

  it('rejects unbalanced sections and malformed tokens when parsing', () => {
    expect(() => html('{{#a}}x')).toThrow(TemplateSyntaxError);
    expect(() => html('{{#a}}x{{/b}}')).toThrow(TemplateSyntaxError);
    expect(() => html('x{{/a}}')).toThrow(TemplateSyntaxError);
    expect(() => html('{{ spaced }}')).toThrow(TemplateSyntaxError);
  });

  it('rejects a view that lacks a name or gives a list where text is expected', () => {
    expect(() => html('{{missing}}').render({})).toThrow(TemplateDataError);
    expect(() => html('{{items}}').render({ items: [] })).toThrow(TemplateDataError);
  });
});

describe('raw values', () => {
  it('inserts {{&name}} as is and still escapes {{name}} beside it', () => {
    const template = Template.parse('<div>{{&cardsHtml}}</div><p>{{title}}</p>', escapeHtml);
    expect(template.render({ cardsHtml: '<b>built &amp; escaped by the renderer</b>', title: '<script>' })).toBe(
      '<div><b>built &amp; escaped by the renderer</b></div><p>&lt;script&gt;</p>',
    );
  });
});
