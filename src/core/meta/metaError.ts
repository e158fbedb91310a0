/** A meta file that is not what the Go tool writes (bad JSON, a value of the wrong type, beyond a limit). */
export class MetaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetaFormatError';
  }
}
