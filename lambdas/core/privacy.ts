// The one pattern for what looks like an email address in free text, for the guards that keep addresses out of logs and records.

const ADDRESS_IN_TEXT = /[^\s@"'<>,;:()]+@[^\s@"'<>,;:()]+\.[^\s@"'<>,;:()]+/g;

/** `text` with every address-like run replaced by `mask`. */
export function maskAddresses(text: string, mask: string): string {
  return text.replace(ADDRESS_IN_TEXT, mask);
}
