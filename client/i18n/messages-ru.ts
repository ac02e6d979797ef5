/**
 * Russian messages: the first language of the register and the source of the message keys.
 * Values may hold `{name}` placeholders; plural forms are separate keys ending in `.one`, `.few`, `.many`, `.other`
 * (the categories of Intl.PluralRules for Russian).
 */
export const ru = {
  'app.title': 'Регистр паллиативных пациентов',
  'app.loading': 'Загрузка…',
  'app.skipToContent': 'Перейти к содержимому',
  'app.noAccess': 'Этот раздел недоступен для ваших ролей.',

  'login.heading': 'Вход',
  'login.intro': 'Войдите под своей учётной записью.',
  'login.username': 'Имя пользователя',
  'login.password': 'Пароль',
  'login.submit': 'Войти',
  'login.working': 'Проверяем пароль… Это займёт около секунды.',
  'login.usernameRequired': 'Введите имя пользователя.',
  'login.passwordRequired': 'Введите пароль.',

  'error.wrongCredentials': 'Неверное имя пользователя или пароль.',
  'error.throttled': 'Слишком много неудачных попыток. Повторите через {seconds} с.',
  'error.network': 'Нет связи с сервером. Проверьте подключение и повторите.',
  'error.passwordChangeRequired': 'Сначала нужно сменить пароль.',
  'error.sessionEnded': 'Сеанс на сервере завершён. Войдите снова.',
  'error.passwordChangedElsewhere': 'Пароль был изменён. Войдите с новым паролем.',
  'error.samePassword': 'Новый пароль должен отличаться от прежнего.',
  'error.server': 'Ошибка на сервере. Попробуйте позже.',
  'error.unexpected': 'Что-то пошло не так. Попробуйте ещё раз.',

  'passwordChange.heading': 'Смена пароля',
  'passwordChange.intro':
    'Это первый вход с временным паролем. Придумайте свой пароль: лучше всего — фраза из нескольких слов, не связанных между собой.',
  'passwordChange.new': 'Новый пароль',
  'passwordChange.repeat': 'Повторите новый пароль',
  'passwordChange.submit': 'Сменить пароль',
  'passwordChange.working': 'Создаём ключи и сохраняем пароль…',
  'passwordChange.required': 'Введите новый пароль.',
  'passwordChange.mismatch': 'Пароли не совпадают.',
  'passwordChange.tooWeak': 'Пароль слишком простой: нужна надёжность не ниже «хорошая».',
  'passwordChange.cancel': 'Выйти',

  'strength.label': 'Надёжность пароля',
  'strength.empty': 'введите пароль',
  'strength.checking': 'оцениваем…',
  'strength.0': 'очень слабая',
  'strength.1': 'слабая',
  'strength.2': 'средняя',
  'strength.3': 'хорошая',
  'strength.4': 'отличная',

  'lock.heading': 'Экран заблокирован',
  'lock.intro': 'Пользователь {name}. Введите пароль, чтобы продолжить.',
  'lock.offline': 'Нет связи с сервером: разблокировка работает и без сети.',
  'lock.submit': 'Разблокировать',
  'lock.working': 'Проверяем пароль…',
  'lock.wrongPassword': 'Неверный пароль.',
  'lock.wait': 'Следующая попытка возможна через {seconds} с.',
  'lock.switchUser': 'Выйти из учётной записи',

  'home.greeting': 'Здравствуйте, {name}!',
  'home.roles': 'Роли: {roles}',
  'home.noSections': 'Для ваших ролей пока нет доступных разделов.',
  'home.settings': 'Настройки',
  'home.idleLock': 'Автоблокировка при бездействии',
  'home.minutes': '{count} мин',

  'role.admin': 'администратор',
  'role.doctor': 'врач',
  'role.nurse': 'медицинская сестра',
  'role.analyst': 'аналитик',

  'nav.label': 'Разделы',
  'nav.home': 'Главная',
  'nav.patients': 'Пациенты',
  'nav.patients.description': 'Поиск и регистрация пациентов, визиты',
  'nav.prescriptions': 'Назначения',
  'nav.prescriptions.description': 'Текущие назначения и отчёт по назначениям',
  'nav.reports': 'Отчёты',
  'nav.reports.description': 'Сводный отчёт за период',
  'nav.administration': 'Администрирование',
  'nav.administration.description': 'Сотрудники, учреждения, справочники',

  'placeholder.comingSoon': 'Раздел в разработке',
  'placeholder.back': 'На главную',

  'header.lock': 'Заблокировать',
  'header.logout': 'Выйти',
  'header.language': 'Язык интерфейса',

  'sync.label': 'Синхронизация справочников',
  'sync.stopped': 'Синхронизация не запущена',
  'sync.connecting': 'Подключение…',
  'sync.upToDate': 'Данные актуальны',
  'sync.pending.one': 'Ожидает {count} изменение',
  'sync.pending.few': 'Ожидают {count} изменения',
  'sync.pending.many': 'Ожидают {count} изменений',
  'sync.pending.other': 'Ожидают {count} изменения',
  'sync.offline': 'Нет сети с {time}',
  'sync.error': 'Ошибка синхронизации',
  'sync.error.session': 'Ошибка синхронизации: сеанс завершён',

  'update.available': 'Доступна новая версия',
  'update.reload': 'Обновить',
  'update.dismiss': 'Позже',
} as const;

export type MessageKey = keyof typeof ru;
