// The error a parser throws when a whole payload is unusable (not JSON, not Atom, not an array).

/**
 * A source answered with something that is not the expected payload at all. Unlike a malformed
 * item, which is skipped, this fails the whole request. The message never quotes the payload.
 */
export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError';
}
