/**
 * FieldError: bad input, naming the field it is about. Pure code (the planner, the attention cost
 * models, the runs CSV reader) throws it; dispatch (src-main/core/dispatch.ts) and the job runner
 * turn it into one INVALID_REQUEST through `fieldFailure` (src-shared/api/errors.ts), so no door or
 * service maps error classes back to API errors by hand.
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }

  /** The API's message: this one, led by the field unless it already is. */
  apiMessage(): string {
    return this.message.startsWith(`${this.field}:`) ? this.message : `${this.field}: ${this.message}`;
  }

  /** The API's issues list. */
  apiIssues(): string[] {
    return [this.apiMessage()];
  }
}
