// The one vetter for http(s) links that come from outside (feeds, forms) and go into an email or a page.

/** Longest link kept; longer ones are dropped rather than cut into a broken address. */
export const MAX_URL_LENGTH = 2048;

/**
 * The normalised form of an absolute http(s) URL with a host, or undefined for anything else
 * (javascript:, data:, relative or malformed links, over-long addresses, and links with a user
 * name or password, which would show a reader someone's credentials or disguise the real host).
 */
export function safeHttpUrl(candidate: string | undefined): string | undefined {
  const trimmed = candidate?.trim();
  if (!trimmed) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href.length <= MAX_URL_LENGTH ? url.href : undefined;
}
