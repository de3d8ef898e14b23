/** A problem with the user's input: shown as one line on stderr, exit code 1, no stack. */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** Bad or conflicting arguments: one line on stderr with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A path's failure to open or read, in words a person can act on. */
export function describeFileError(path: string, cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `${path}: no such file or folder`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
  if (code === 'ENOTDIR') return `${path}: not a folder`;
  if (code === 'EISDIR') return `${path}: is a folder, not a file`;
  return `${path}: cannot read (${code ?? 'error'})`;
}
