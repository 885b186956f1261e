// Masking addresses: the pages reached by a signed link name the address without spelling it out.
import { maskedAddress } from '../../lambdas/core/privacy';

describe('maskedAddress', () => {
  it.each([
    ['jane@example.org', 'j***@example.org'],
    ['j@example.org', 'j***@example.org'],
    ['first.last+tag@sub.example.co.uk', 'f***@sub.example.co.uk'],
    ['"odd@local"@example.org', '"***@example.org'],
    ['no-at-sign', '***'],
  ])('%s -> %s', (address, masked) => {
    expect(maskedAddress(address)).toBe(masked);
  });
});
