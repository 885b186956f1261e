// Renders the double opt-in confirmation email (subject, HTML and text) from the address and its confirm link.
import { DAY_MS } from '../day';
import type { RenderedEmail } from '../model';
import { TOKEN_LIFETIMES_MS } from '../tokens';
import { confirmHtml } from './compiled-templates';
import { safeHttpUrl } from '../safe-url';
import { escapeHtml } from './html';
import { Template } from './template';
import { wrapText } from './text-format';

/** What the confirmation email is made of: nothing else the visitor typed ever reaches it. */
export interface ConfirmationEmailInput {
  /** The normalised address the sign-up asked to subscribe. */
  address: string;
  /** Absolute http(s) link to the confirm page; anything else makes the render throw. */
  confirmUrl: string;
  /** The sender's postal address for the footer, one line per line. */
  postalAddress: string;
}

const SUBJECT = 'Confirm your Papertrend subscription';
const LINE_WIDTH = 72;
// Pure: a function that never renders a confirmation (the api) leaves the template out of its bundle.
const confirmTemplate = /* @__PURE__ */ Template.parse(confirmHtml, escapeHtml);

/** The confirmation email; throws when `confirmUrl` is not a safe absolute http(s) link. */
export function renderConfirmationEmail(input: ConfirmationEmailInput): RenderedEmail {
  const confirmUrl = safeHttpUrl(input.confirmUrl);
  if (!confirmUrl) throw new Error('The confirmation link must be an absolute http(s) URL');
  const validDays = Math.round(TOKEN_LIFETIMES_MS.confirm / DAY_MS);
  const view = {
    subject: SUBJECT,
    preheader: 'One click confirms your Papertrend research digests.',
    heading: 'Confirm your subscription',
    requestLine: `Someone (hopefully you) asked to send Papertrend's research digests to ${input.address}.`,
    buttonLabel: 'Confirm my subscription',
    buttonNote: 'Opening the link shows one button; nothing happens until you press it.',
    expiryNote: `The link expires in ${validDays === 1 ? '1 day' : `${validDays} days`}.`,
    ignoreNote: "If it wasn't you, ignore this email: without confirmation we never write to this address again.",
    confirmUrl,
  };
  const postalLines = input.postalAddress
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const html = confirmTemplate.render({
    ...view,
    postalLines: postalLines.map((line, index) => ({ line, last: index === postalLines.length - 1 })),
  });
  const text = [
    'Papertrend',
    '',
    ...wrapText(view.requestLine, LINE_WIDTH),
    '',
    'Confirm your subscription:',
    confirmUrl,
    '',
    ...wrapText(`${view.buttonNote} ${view.expiryNote}`, LINE_WIDTH),
    '',
    ...wrapText(view.ignoreNote, LINE_WIDTH),
    '',
    '--',
    ...postalLines,
  ].join('\n');
  return { subject: SUBJECT, html, text: `${text}\n` };
}
