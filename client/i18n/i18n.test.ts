import { assert } from '@open-wc/testing';
import { I18n, LOCALE_STORAGE_KEY } from './i18n.ts';
import { ru, type MessageKey } from './messages-ru.ts';
import { en } from './messages-en.ts';
import { MemoryStorage } from '../test-support/memory-storage.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

describe('i18n', () => {
  it('speaks Russian first when nothing is saved', () => {
    const i18n = new I18n(new MemoryStorage());
    assert.deepEqual(i18n.locale, 'ru');
    assert.deepEqual(i18n.t('login.submit'), 'Войти');
  });

  it('switches to English, keeps the choice on the device and tells listeners', () => {
    const storage = new MemoryStorage();
    const i18n = new I18n(storage);
    let changes = 0;
    i18n.addEventListener('change', () => (changes += 1));
    i18n.setLocale('en');
    assert.deepEqual(i18n.t('login.submit'), 'Sign in');
    assert.deepEqual(storage.getItem(LOCALE_STORAGE_KEY), 'en');
    assert.deepEqual(changes, 1);
    assert.deepEqual(new I18n(storage).locale, 'en');
  });

  it('ignores a damaged saved value', () => {
    const storage = new MemoryStorage();
    storage.setItem(LOCALE_STORAGE_KEY, 'xx');
    assert.deepEqual(new I18n(storage).locale, 'ru');
  });

  it('fills placeholders', () => {
    const i18n = new I18n(new MemoryStorage());
    assert.deepEqual(
      i18n.t('error.throttled', { seconds: 42 }),
      'Слишком много неудачных попыток. Повторите через 42 с.',
    );
  });

  const russianPlurals: Array<[number, string]> = [
    [1, 'Ожидает 1 изменение'],
    [3, 'Ожидают 3 изменения'],
    [5, 'Ожидают 5 изменений'],
    [21, 'Ожидает 21 изменение'],
    [112, 'Ожидают 112 изменений'],
  ];
  for (const [count, text] of russianPlurals) {
    it(`uses the Russian plural form for ${count}`, () => {
      assert.deepEqual(new I18n(new MemoryStorage()).plural('sync.pending', count), text);
    });
  }

  it('has the same placeholders in English as in Russian for every message', () => {
    for (const key of Object.keys(ru) as MessageKey[]) {
      assert.isString(en[key], key);
      assert.notStrictEqual(en[key], '', key);
      assert.deepEqual(placeholders(en[key]), placeholders(ru[key]), key);
    }
  });
});
