// The one pattern for what looks like an email address in free text, for the guards that keep addresses out of logs and records.

const ADDRESS_IN_TEXT = /[^\s@"'<>,;:()]+@[^\s@"'<>,;:()]+\.[^\s@"'<>,;:()]+/g;

/** `text` with every address-like run replaced by `mask`. */
export function maskAddresses(text: string, mask: string): string {
  return text.replace(ADDRESS_IN_TEXT, mask);
}

/** An address as a page names it to whoever holds a link: the first character of the local part, then `***` (`j***@example.org`). */
export function maskedAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}
