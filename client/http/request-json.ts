/**
 * One JSON request to the register's own origin with the session cookie: the single place that turns network
 * failures into NetworkError and error answers into ApiError (with Retry-After) or FieldError (a 400 naming a field).
 */
import { ApiError, FieldError, NetworkError } from './api-errors.ts';

export type Fetch = typeof fetch;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function requestJson(
  fetchImpl: Fetch,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : 'The server cannot be reached.');
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (response.ok) return parsed;
  const code = isRecord(parsed) && typeof parsed.error === 'string' ? parsed.error : 'http_error';
  const reason = isRecord(parsed) && typeof parsed.reason === 'string' ? parsed.reason : response.statusText;
  if (response.status === 400 && isRecord(parsed) && typeof parsed.field === 'string') {
    throw new FieldError(response.status, code, reason, parsed.field);
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(response.status, code, reason, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}
