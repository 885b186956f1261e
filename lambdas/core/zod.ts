// zod for every Lambda module: the functional zod/mini build (a third of classic's bundle size) with English messages.
// Only classic zod loads a locale by itself; without this, zod/mini says "Invalid input" for everything.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
