// What the use cases that email subscribers share: their dependencies and the signed links those emails (and the site's pages) carry.
import { signToken, type Keyring, type TokenClaims } from '../core/tokens';
import type { Clock, Logger, Mailer, Metrics, SubscriberStore } from '../ports';

/** Signs links to the site: the keyring and the site's base URL (without a trailing slash; '' for a relative link). */
export interface LinkSigning {
  keyring: Keyring;
  publicBaseUrl: string;
}

export interface EmailingDeps extends LinkSigning {
  subscribers: SubscriberStore;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Sender's postal address, printed in every email's footer. */
  postalAddress: string;
}

/** `<base><path>?token=...`: a token with `claims`, signed at `now`. Tokens are URL-safe as they are. */
export function signedLink(signing: LinkSigning, path: string, claims: TokenClaims, now: Date): string {
  return `${signing.publicBaseUrl}${path}?token=${signToken(signing.keyring, claims, now)}`;
}

/** The path of the page that takes "More like this" / "Fewer like this" (GET shows one button, POST records). */
export const FEEDBACK_PAGE_PATH = '/feedback';

/** The path of a digest's web version (GET, `?token=`: a `view` token naming the digest's local date). */
export const DIGEST_PAGE_PATH = '/digest';

/**
 * Per paper id, the link to the page that takes the reader's "More like this" / "Fewer like this"
 * on it: one feedback token per paper, the direction added by the email (`&vote=more|fewer`).
 */
export function feedbackLinks(signing: LinkSigning, subscriberId: string, paperIds: readonly string[], now: Date): Map<string, string> {
  return new Map(paperIds.map((paperId) => [paperId, signedLink(signing, FEEDBACK_PAGE_PATH, { subscriberId, purpose: 'feedback', subject: paperId }, now)]));
}

/** Links that act on a subscription without exposing the address: signed, purpose-bound tokens. */
export function subscriptionLinks(signing: LinkSigning, subscriberId: string, now: Date): { unsubscribeUrl: string; preferencesUrl: string } {
  return {
    unsubscribeUrl: signedLink(signing, '/unsubscribe', { subscriberId, purpose: 'unsubscribe' }, now),
    preferencesUrl: signedLink(signing, '/preferences', { subscriberId, purpose: 'preferences' }, now),
  };
}

/** The link to the web version of `subscriberId`'s digest of `localDate`: no address in it, only the signed token. */
export function digestViewUrl(signing: LinkSigning, subscriberId: string, localDate: string, now: Date): string {
  return signedLink(signing, DIGEST_PAGE_PATH, { subscriberId, purpose: 'view', subject: localDate }, now);
}
