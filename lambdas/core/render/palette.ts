// The one definition of every colour the site and the emails use, by role, for light and dark schemes.

/** A colour role: what the colour is for, not what it looks like. */
export type ColourRole =
  | 'page'
  | 'surface'
  | 'border'
  | 'text'
  | 'body'
  | 'muted'
  | 'heading'
  | 'link'
  | 'field'
  | 'fieldLine'
  | 'headerBg'
  | 'headerText'
  | 'headerMuted'
  | 'button'
  | 'buttonText'
  | 'buttonHover'
  | 'chip'
  | 'chipLine'
  | 'error'
  | 'errorBg'
  | 'ok'
  | 'okBg';

export type Palette = Readonly<Record<ColourRole, string>>;

/** Every text role passes WCAG AA (4.5:1) on the backgrounds it sits on: test/e2e/contrast.test.ts measures it. */
export const LIGHT: Palette = Object.freeze({
  page: '#f3f4f6',
  surface: '#ffffff',
  border: '#e5e7eb',
  text: '#1f2937',
  body: '#374151',
  muted: '#4b5563',
  heading: '#1e3a8a',
  link: '#1d4ed8',
  field: '#ffffff',
  fieldLine: '#6b7280',
  headerBg: '#1e3a8a',
  headerText: '#ffffff',
  headerMuted: '#dbeafe',
  button: '#1e3a8a',
  buttonText: '#ffffff',
  buttonHover: '#1e40af',
  chip: '#eff6ff',
  chipLine: '#93c5fd',
  error: '#b91c1c',
  errorBg: '#fef2f2',
  ok: '#15803d',
  okBg: '#f0fdf4',
});

export const DARK: Palette = Object.freeze({
  page: '#0f172a',
  surface: '#1e293b',
  border: '#334155',
  text: '#f1f5f9',
  body: '#e2e8f0',
  muted: '#cbd5e1',
  heading: '#bfdbfe',
  link: '#93c5fd',
  field: '#0f172a',
  fieldLine: '#94a3b8',
  headerBg: '#172554',
  headerText: '#ffffff',
  headerMuted: '#dbeafe',
  button: '#93c5fd',
  buttonText: '#0f172a',
  buttonHover: '#bfdbfe',
  chip: '#172554',
  chipLine: '#3b82f6',
  error: '#fca5a5',
  errorBg: '#450a0a',
  ok: '#86efac',
  okBg: '#052e16',
});

/**
 * CSS custom properties that follow the reader's colour scheme (`--text:light-dark(#1f2937,#f1f5f9);...`):
 * with `color-scheme: light dark`, light-dark() picks by prefers-color-scheme without a media query.
 */
export function schemeVariables(): string {
  return (Object.keys(LIGHT) as ColourRole[]).map((role) => `--${role}:light-dark(${LIGHT[role]},${DARK[role]})`).join(';');
}
