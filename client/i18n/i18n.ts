/**
 * The small typed translation service: Russian first, English second. The chosen language is kept in
 * localStorage and mirrored to `<html lang>`. Elements read it through I18nController (i18n-controller.ts).
 */
import { ru, type MessageKey } from './messages-ru.ts';
import { en } from './messages-en.ts';

export type { MessageKey } from './messages-ru.ts';
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageParams = Readonly<Record<string, string | number>>;

const DICTIONARIES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { ru, en };
export const LOCALE_STORAGE_KEY = 'rp.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Keys with plural forms, without the `.one`/`.few`/… suffix. */
type PluralBase<K extends string> = K extends `${infer Base}.${'one' | 'few' | 'many' | 'other'}` ? Base : never;
export type PluralKey = PluralBase<MessageKey>;

function interpolate(template: string, params: MessageParams | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Holds the current locale and translates keys.
 * @fires change - after the locale changed
 */
export class I18n extends EventTarget {
  #locale: Locale;
  readonly #storage: Storage | null;

  constructor(storage: Storage | null = globalThis.localStorage ?? null, fallback: Locale = 'ru') {
    super();
    this.#storage = storage;
    const saved = storage?.getItem(LOCALE_STORAGE_KEY);
    this.#locale = isLocale(saved) ? saved : fallback;
  }

  get locale(): Locale {
    return this.#locale;
  }

  setLocale(locale: Locale): void {
    if (locale === this.#locale) return;
    this.#locale = locale;
    this.#storage?.setItem(LOCALE_STORAGE_KEY, locale);
    this.dispatchEvent(new Event('change'));
  }

  t(key: MessageKey, params?: MessageParams): string {
    return interpolate(DICTIONARIES[this.#locale][key], params);
  }

  /** A message with a count, in the plural form the current language needs. */
  plural(base: PluralKey, count: number, params?: MessageParams): string {
    const category = new Intl.PluralRules(this.#locale).select(count);
    const form = (['one', 'few', 'many'].includes(category) ? category : 'other') as 'one' | 'few' | 'many' | 'other';
    return this.t(`${base}.${form}` as MessageKey, { count, ...params });
  }

  /** Hours and minutes in the current language's format. */
  time(at: number): string {
    return new Intl.DateTimeFormat(this.#locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  }
}
