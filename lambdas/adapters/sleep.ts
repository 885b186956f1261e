// The one real timer wait; adapters that wait take a Sleep option so tests can pass one that returns at once.

import type { Sleep } from '../ports';

export type { Sleep };

/** A wait on a real timer. */
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
