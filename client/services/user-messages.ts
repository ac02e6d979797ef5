/**
 * One place that turns errors into messages a person can act on. Pages show `messageFor(error)` and never a
 * server's technical reason or a stack trace.
 */
import { ApiError, NetworkError } from '../http/api-errors.ts';
import type { MessageKey, MessageParams } from '../i18n/i18n.ts';

export interface UserMessage {
  key: MessageKey;
  params?: MessageParams;
}

/** An error that already knows what to tell the user (wrong unlock password, wait before retrying, …). */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  constructor(readonly userMessage: UserMessage) {
    super(userMessage.key);
  }
}

export function messageFor(error: unknown): UserMessage {
  if (error instanceof UserFacingError) return error.userMessage;
  if (error instanceof NetworkError) return { key: 'error.network' };
  if (error instanceof ApiError) {
    if (error.status === 401) return { key: 'error.wrongCredentials' };
    if (error.status === 429) return { key: 'error.throttled', params: { seconds: error.retryAfterSeconds ?? 60 } };
    if (error.code === 'password_change_required') return { key: 'error.passwordChangeRequired' };
    if (error.status >= 500) return { key: 'error.server' };
  }
  return { key: 'error.unexpected' };
}
