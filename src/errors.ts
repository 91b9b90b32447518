/**
 * A problem with what the user gave us (bad file, bad date, bad encoding). The CLI prints
 * its message as one line and exits non-zero, without a stack trace, so the message must
 * say what is wrong and where.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** A report whose extraction ran over its time limit: refused like any other bad input. */
export class TimeLimitError extends InputError {
  override name = 'TimeLimitError';
}
