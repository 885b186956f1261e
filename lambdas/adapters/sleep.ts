// The one real timer wait; adapters that wait take a Sleep option so tests can pass one that returns at once.

/** Resolves after `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** A wait on a real timer. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
