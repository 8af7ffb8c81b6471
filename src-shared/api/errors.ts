/**
 * ApiFailure: the one error type that crosses the API. Clients turn `{ok:false}` envelopes back
 * into it, so callers can switch on `code` whichever door they used.
 */
import type { FieldError } from '../errors/field-error.js';
import type { ApiError, ErrorCode } from './types.js';

export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly issues?: string[];
  constructor(code: ErrorCode, message: string, issues?: string[]) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    if (issues) this.issues = issues;
  }
  toJSON(): ApiError {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
  static from(error: ApiError): ApiFailure {
    return new ApiFailure(error.code, error.message, error.issues);
  }
}

/** The one mapping from a FieldError (bad input naming its field) to the API's INVALID_REQUEST. */
export function fieldFailure(e: FieldError): ApiFailure {
  return new ApiFailure('INVALID_REQUEST', e.apiMessage(), e.apiIssues());
}
