/**
 * Messages for what the admin API and the reference store refuse, on top of the session's `messageFor`.
 * A 400's reason is shown as the server wrote it (the admin API names the value it refused).
 */
import { ApiError } from '../http/api-errors.ts';
import { messageFor, type UserMessage } from '../services/user-messages.ts';
import { InvalidReferenceDocError } from './reference-store.ts';

export function adminMessageFor(error: unknown): UserMessage {
  if (error instanceof InvalidReferenceDocError) return { key: 'admin.error.invalid' };
  if (error instanceof ApiError) {
    if (error.status === 400) return { key: 'admin.error.refused', params: { reason: error.message } };
    if (error.status === 403) return { key: 'admin.error.forbidden' };
    if (error.status === 404) return { key: 'admin.error.notFound' };
    if (error.status === 409) return { key: 'admin.error.conflict' };
  }
  return messageFor(error);
}
