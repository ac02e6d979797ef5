import { assert } from '@open-wc/testing';
import { ApiError, NetworkError } from '../http/api-errors.ts';
import { I18n } from '../i18n/i18n.ts';
import { MemoryStorage } from '../test-support/memory-storage.ts';
import { UserFacingError, messageFor } from './user-messages.ts';

// The login page shows `messageFor(error)`; the browser tests produce most of these errors with the real register
// (wrong password, throttling, no connection). A 403 "password_change_required" never answers a login — the
// register answers it with `mustChangePassword` — but any other request of an account that must change its
// password gets it, so its message is checked here from the error itself.
describe('user messages', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no connection', new NetworkError('Failed to fetch'), 'Нет связи с сервером. Проверьте подключение и повторите.'],
    ['a wrong password', new ApiError(401, 'unauthorized', 'No.'), 'Неверное имя пользователя или пароль.'],
    [
      'throttling, with the seconds from Retry-After',
      new ApiError(429, 'too_many_requests', 'Wait.', 42),
      'Слишком много неудачных попыток. Повторите через 42 с.',
    ],
    [
      'a required password change',
      new ApiError(403, 'password_change_required', 'Change it.'),
      'Сначала нужно сменить пароль.',
    ],
    ['an error that already knows its message', new UserFacingError({ key: 'lock.wrongPassword' }), 'Неверный пароль.'],
  ];
  for (const [what, error, text] of cases) {
    it(`explains ${what}`, () => {
      const message = messageFor(error);
      assert.deepEqual(new I18n(new MemoryStorage()).t(message.key, message.params), text);
    });
  }

  it('never shows a server reason or a stack trace', () => {
    const message = messageFor(new ApiError(500, 'internal', 'TypeError at /srv/app.js:12'));
    assert.deepEqual(message, { key: 'error.server' });
    assert.deepEqual(messageFor(new Error('boom')), { key: 'error.unexpected' });
  });
});
