/**
 * Named errors of the HTTP layer. Pages never show `reason` texts from the server (they are English and
 * technical); they map these errors to messages with `messageFor` (services/user-messages.ts).
 */

/** The server could not be reached at all (offline, DNS, connection refused, timeout). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** The server answered with an error status and its `{error, reason}` body. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    reason: string,
    /** Seconds from Retry-After on 429, else null. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(reason);
  }
}

/** A 400 answer naming the field it refuses (`{error, reason, field}`), shown next to that field. */
export class FieldError extends ApiError {
  override name = 'FieldError';
  constructor(
    status: number,
    code: string,
    reason: string,
    readonly field: string,
  ) {
    super(status, code, reason);
  }
}
