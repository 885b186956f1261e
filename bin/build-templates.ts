// Compiles every templates/*.mjml to HTML once, into the generated module lambdas/core/render/compiled-templates.ts.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import mjml2html from 'mjml';
import { DARK, LIGHT, type ColourRole } from '../lambdas/core/render/palette';
import { Template } from '../lambdas/core/render/template';

export const TEMPLATES_DIR = path.join(__dirname, '..', 'templates');
export const COMPILED_TEMPLATES_MODULE = path.join(__dirname, '..', 'lambdas', 'core', 'render', 'compiled-templates.ts');

const TEMPLATE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * One template's HTML: strict MJML validation, no web fonts, comments dropped, whitespace runs
 * collapsed to one space (the templates hold no <pre>). MJML's own `minify` is not used: its
 * htmlnano step loads plugins with dynamic import(), which Jest cannot run without VM modules.
 */
export async function compileMjml(source: string, filePath: string): Promise<string> {
  const result = await mjml2html(fillPalette(source, filePath), { filePath, validationLevel: 'strict', keepComments: false, fonts: {} });
  const html = result.html.replace(/\s+/g, ' ').trim();
  // Fails the build on an unbalanced section or malformed placeholder, not the first send.
  Template.parse(html, (text) => text);
  return html;
}

/**
 * Dark-mode overrides for the emails: [selectors, property, role]. Each applies under
 * `prefers-color-scheme: dark` (Apple Mail, iOS, Outlook for Mac) and under the `data-ogsc`/`data-ogsb`
 * attributes Outlook.com and Outlook apps set when they darken a message, so links stay legible there.
 */
const EMAIL_DARK_RULES: ReadonlyArray<[selectors: string[], property: 'color' | 'background-color' | 'border-color', role: ColourRole]> = [
  [['body', '.pt-page', '.pt-page > div'], 'background-color', 'page'],
  [['.pt-card', '.pt-card > table > tbody > tr > td'], 'background-color', 'surface'],
  [['.pt-card', '.pt-card > table > tbody > tr > td'], 'border-color', 'border'],
  [['.pt-text', '.pt-text div'], 'color', 'text'],
  [['.pt-card div'], 'color', 'body'],
  [['.pt-muted', '.pt-muted div', '.pt-card .pt-muted'], 'color', 'muted'],
  [['.pt-link', '.pt-card a', '.pt-muted a'], 'color', 'link'],
  [['.pt-button'], 'background-color', 'button'],
  [['.pt-button a'], 'color', 'buttonText'],
];

function emailDarkCss(): string {
  const css = (prefix: string, keep: (property: string) => boolean) =>
    EMAIL_DARK_RULES.filter(([, property]) => keep(property))
      .map(([selectors, property, role]) => `${selectors.map((selector) => `${prefix}${selector}`).join(',')}{${property}:${DARK[role]} !important}`)
      .join('\n');
  return [
    `@media (prefers-color-scheme: dark) {\n${css('', () => true)}\n}`,
    css('[data-ogsc] ', (property) => property === 'color'),
    css('[data-ogsb] ', (property) => property !== 'color'),
  ].join('\n');
}

/** The head both emails share: fonts, defaults, the colour schemes they support and their dark-mode styles. */
const EMAIL_HEAD = `<mj-attributes>
      <mj-all font-family="-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" />
      <mj-text css-class="pt-text" padding="0" font-size="15px" line-height="1.5" color="%%text%%" />
      <mj-section padding="0" />
      <mj-column padding="0" />
    </mj-attributes>
    <mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>
    <mj-raw><!--[if mso]><style>td,div,a,span{font-family:Arial,Helvetica,sans-serif !important}</style><![endif]--></mj-raw>
    <mj-style>:root{color-scheme:light dark;supported-color-schemes:light dark}
${emailDarkCss()}</mj-style>`;

/** Invisible characters after the preheader, so inbox lists do not pad the preview line with the email's first words. */
const PREVIEW_FILL = '&#847;&zwnj;&nbsp;'.repeat(30);

/** `%%role%%` becomes the light palette's colour for that role, `%%dark.role%%` the dark one's: templates name no colour themselves. */
export function fillPalette(source: string, filePath: string): string {
  return source
    .replace('%%emailHead%%', EMAIL_HEAD)
    .replace('%%previewFill%%', PREVIEW_FILL)
    .replace(/%%(dark\.)?([A-Za-z]+)%%/g, (token, dark: string | undefined, role: string) => {
      const palette = dark ? DARK : LIGHT;
      if (!Object.hasOwn(palette, role)) throw new Error(`${filePath}: ${token} names no palette colour`);
      return palette[role as ColourRole];
    });
}

/** The generated module's export for a template: `confirm` -> `confirmHtml`, `weekly-digest` -> `weeklyDigestHtml`. */
export function compiledTemplateExport(name: string): string {
  return `${name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())}Html`;
}

/** The source of the generated module for every .mjml file in `templatesDir`, in name order. */
export async function generateCompiledTemplatesModule(templatesDir = TEMPLATES_DIR): Promise<string> {
  const files = (await readdir(templatesDir)).filter((file) => file.endsWith('.mjml')).sort();
  const entries: string[] = [];
  const names: string[] = [];
  for (const file of files) {
    const name = file.slice(0, -'.mjml'.length);
    if (!TEMPLATE_NAME.test(name)) throw new Error(`Template file name must be lowercase words and dashes: ${file}`);
    const filePath = path.join(templatesDir, file);
    const html = await compileMjml(await readFile(filePath, 'utf8'), filePath);
    names.push(name);
    entries.push(`/** HTML compiled from templates/${file}. */`, `export const ${compiledTemplateExport(name)} = ${JSON.stringify(html)};`, '');
  }
  if (names.length === 0) throw new Error(`No .mjml templates in ${templatesDir}`);
  return [
    '// GENERATED by bin/build-templates.ts from templates/*.mjml. Do not edit; run `npm run build:templates`.',
    '// One export per template, so a function bundles only the emails it sends; placeholders are filled by render/template.ts.',
    '',
    ...entries,
  ].join('\n');
}

async function main(): Promise<void> {
  const moduleSource = await generateCompiledTemplatesModule();
  await writeFile(COMPILED_TEMPLATES_MODULE, moduleSource);
  console.log(`Wrote ${path.relative(process.cwd(), COMPILED_TEMPLATES_MODULE)} (${Buffer.byteLength(moduleSource)} bytes)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
