/** A setup step that cannot be done here: one line of reason and one of fix (exit 2). */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** Where setup says what it does, one line at a time. */
export type Log = (line: string) => void;
