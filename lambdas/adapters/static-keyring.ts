// A keyring given whole (TOKEN_KEYRING: the local stack and the tests); it never changes while the process runs.
import type { Keyring } from '../core/tokens';
import type { KeyringSource } from '../ports';

export class StaticKeyring implements KeyringSource {
  constructor(private readonly value: Keyring) {}

  async keyring(): Promise<Keyring> {
    return this.value;
  }
}
