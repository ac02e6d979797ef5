/**
 * Named errors that the one error handler (server/app.ts) maps to JSON `{error, reason}` with a status.
 * Anything else is logged and answered with a generic 500 — never a stack trace.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class BadRequestError extends HttpError {
  /** `field` names the input at fault (`roles`, `keys.recoveryKit`), so a form can show the message next to it. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(400, 'bad_request', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Name or password is incorrect, or the session has ended.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Database does not exist.') {
    super(404, 'not_found', message);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}

export class StoreUnavailableError extends HttpError {
  constructor(message = 'The data store is not reachable.') {
    super(503, 'store_unavailable', message);
  }
}

/** Start-up configuration that cannot work; main.ts prints its message as one line and exits. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
