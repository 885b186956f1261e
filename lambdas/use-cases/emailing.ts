// What the use cases that email subscribers share: their dependencies and the signed links those emails (and the site's pages) carry.
import { signToken, type Keyring, type TokenPurpose } from '../core/tokens';
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

/** `<base><path>?token=...`: a token of `purpose` for `subscriberId`, signed at `now`. Tokens are URL-safe as they are. */
export function signedLink(signing: LinkSigning, path: string, purpose: TokenPurpose, subscriberId: string, now: Date): string {
  return `${signing.publicBaseUrl}${path}?token=${signToken(signing.keyring, { subscriberId, purpose }, now)}`;
}

/**
 * Per paper id, the link to the page that takes the reader's "More like this" / "Fewer like this"
 * on it: one feedback token per paper, the direction added by the email (`&vote=more|fewer`).
 */
export function feedbackLinks(signing: LinkSigning, subscriberId: string, paperIds: readonly string[], now: Date): Map<string, string> {
  return new Map(
    paperIds.map((paperId) => [
      paperId,
      `${signing.publicBaseUrl}/feedback?token=${signToken(signing.keyring, { subscriberId, purpose: 'feedback', subject: paperId }, now)}`,
    ]),
  );
}

/** Links that act on a subscription without exposing the address: signed, purpose-bound tokens. */
export function subscriptionLinks(signing: LinkSigning, subscriberId: string, now: Date): { unsubscribeUrl: string; preferencesUrl: string } {
  return {
    unsubscribeUrl: signedLink(signing, '/unsubscribe', 'unsubscribe', subscriberId, now),
    preferencesUrl: signedLink(signing, '/preferences', 'preferences', subscriberId, now),
  };
}

/** The path of a digest's web version (GET, `?token=`: a `view` token naming the digest's local date). */
export const DIGEST_PAGE_PATH = '/digest';

/** The link to the web version of `subscriberId`'s digest of `localDate`: no address in it, only the signed token. */
export function digestViewUrl(signing: LinkSigning, subscriberId: string, localDate: string, now: Date): string {
  return `${signing.publicBaseUrl}${DIGEST_PAGE_PATH}?token=${signToken(signing.keyring, { subscriberId, purpose: 'view', subject: localDate }, now)}`;
}
