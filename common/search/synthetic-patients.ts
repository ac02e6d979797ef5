/**
 * Deterministic synthetic patients and queries for the search's tests and benchmark: no real person's data is
 * needed to measure or check the index. Names follow Russian forms (male and female surnames and patronymics,
 * "ё" in some of them, a few double surnames, Karelian-Finnish surnames that do not change with sex) and a long
 * tail of rare invented surnames, because a real register has thousands of distinct surnames, not a few hundred.
 * The same seed gives the same patients and queries on every machine.
 */
import type { PatientEntry } from './matching.ts';

/** A small seeded generator (mulberry32): uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = (
  'Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев Лебедев ' +
  'Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов ' +
  'Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин ' +
  'Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров ' +
  'Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов ' +
  'Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов ' +
  'Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов ' +
  'Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев ' +
  'Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев ' +
  'Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев ' +
  'Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронцов Мухин ' +
  'Аксёнов Рыбаков Зуев Блинов Рожков Шестаков Лобанов Зуйков Дорофеев Муравьёв Шубин Кошелев Зиновьев Гордеев ' +
  'Достоевский Вишневский Ковальский Островский Покровский Соколовский Высоцкий Белинский Троицкий Успенский ' +
  'Толстой Луговой Седой Боровой Черных Белых Седых Долгих Шевченко Бондаренко Коваленко Ткаченко Кравченко ' +
  'Лысенко Марченко Савченко Ковальчук Полищук Мельничук'
).split(' ');

/** Karelian and Finnish surnames: the same for men and women. */
const UNCHANGED_SURNAMES =
  'Лампинен Хямяляйнен Кемппи Ронкайнен Ниеминен Макконен Лесонен Хейкинен Туйск Кархунен'.split(' ');

const MALE_NAMES = (
  'Александр Алексей Анатолий Андрей Антон Аркадий Артём Борис Вадим Валентин Валерий Василий Виктор Виталий ' +
  'Владимир Владислав Вячеслав Геннадий Георгий Григорий Даниил Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл ' +
  'Константин Леонид Максим Матвей Михаил Никита Николай Олег Павел Пётр Роман Семён Сергей Станислав Степан ' +
  'Тимофей Фёдор Юрий Яков Эдуард Лев Руслан Тимур Арсений Филипп Захар Макар Глеб Марк Богдан'
).split(' ');

const FEMALE_NAMES = (
  'Анастасия Анна Антонина Алёна Алла Валентина Валерия Вера Виктория Галина Дарья Евгения Екатерина Елена ' +
  'Елизавета Жанна Зинаида Зоя Инна Ирина Капитолина Клавдия Лариса Лидия Любовь Людмила Маргарита Марина Мария ' +
  'Надежда Наталья Нина Оксана Ольга Полина Раиса Светлана Софья Тамара Татьяна Ульяна Юлия Яна Таисия Римма ' +
  'Нонна Эльвира Ксения Алевтина Варвара Серафима Фаина Майя Мар’яна Анна-Мария Роза Кира Ада'
).split(' ');

const SYLLABLES = (
  'ба бе бо ва ве ви га го да де ду жа за зе ка ке ко ла ле ли ло ма ме ми мо на не ни но па пе ' +
  'по ра ре ри ро са се си со та те ти то фа фе ха хо ца че ша ше щу ю я'
).split(' ');
const RARE_SUFFIXES = ['ов', 'ев', 'ин', 'ский', 'енко', 'ук', 'ых', 'ашвили', 'ян', 'ёв'];

const IRREGULAR_PATRONYMICS: Record<string, [string, string]> = {
  Илья: ['Ильич', 'Ильинична'],
  Никита: ['Никитич', 'Никитична'],
  Лев: ['Львович', 'Львовна'],
  Пётр: ['Петрович', 'Петровна'],
  Яков: ['Яковлевич', 'Яковлевна'],
};

/** Male and female patronymic of a father's name. */
export function patronymicsOf(father: string): [string, string] {
  const irregular = IRREGULAR_PATRONYMICS[father];
  if (irregular) return irregular;
  // Георгий → Георгиевич, Дмитрий → Дмитриевич, but Григорий → Григорьевич, Юрий → Юрьевич.
  if (/ий$/.test(father) && !/(Георг|Дмитр)ий$/.test(father)) {
    return [father.slice(0, -2) + 'ьевич', father.slice(0, -2) + 'ьевна'];
  }
  // Сергей → Сергеевич, Николай → Николаевич, Игорь → Игоревич, Георгий → Георгиевич.
  if (/[йь]$/.test(father)) return [father.slice(0, -1) + 'евич', father.slice(0, -1) + 'евна'];
  return [father + 'ович', father + 'овна'];
}

/** The female form of a male surname. */
export function femaleSurname(male: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return male + 'а';
  if (/(ский|цкий)$/.test(male)) return male.slice(0, -2) + 'ая';
  if (/ой$/.test(male)) return male.slice(0, -2) + 'ая';
  return male;
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function maleSurname(random: () => number): string {
  const roll = random();
  if (roll < 0.04) return pick(random, UNCHANGED_SURNAMES);
  if (roll < 0.8) return pick(random, SURNAMES);
  const syllables = 2 + Math.floor(random() * 2);
  let root = '';
  for (let i = 0; i < syllables; i += 1) root += pick(random, SYLLABLES);
  return capitalise(root + pick(random, RARE_SUFFIXES));
}

function digits(random: () => number, count: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) text += String(Math.floor(random() * 10));
  return text;
}

/** A SNILS with a valid control number, written as people write it: "123-456-789 01". */
function snils(random: () => number): string {
  const number = digits(random, 9);
  const sum = [...number].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  const control = sum % 101 === 100 ? 0 : sum % 101;
  return `${number.slice(0, 3)}-${number.slice(3, 6)}-${number.slice(6)} ${String(control % 100).padStart(2, '0')}`;
}

function birthDate(random: () => number): string {
  const year = random() < 0.85 ? 1930 + Math.floor(random() * 46) : 1976 + Math.floor(random() * 49);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `count` synthetic patients; the same `seed` gives the same patients. */
export function syntheticPatients(count: number, seed = 1): PatientEntry[] {
  const random = seededRandom(seed);
  const patients: PatientEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const female = random() < 0.55;
    let surname = maleSurname(random);
    if (random() < 0.01) surname += '-' + maleSurname(random);
    if (female) surname = surname.split('-').map(femaleSurname).join('-');
    const [malePatronymic, femalePatronymic] = patronymicsOf(pick(random, MALE_NAMES));
    const patient: PatientEntry = {
      id: `p${String(i).padStart(6, '0')}`,
      surname,
      name: pick(random, female ? FEMALE_NAMES : MALE_NAMES),
      birthDate: birthDate(random),
      snils: snils(random),
      omsPolicy: random() < 0.95 ? digits(random, 16) : `ЕП ${digits(random, 7)}`,
    };
    if (random() > 0.03) patient.patronymic = female ? femalePatronymic : malePatronymic;
    patients.push(patient);
  }
  return patients;
}

export type QueryKind =
  'exact' | 'full name' | 'prefix' | 'misspelt' | 'initials' | 'date' | 'surname and year' | 'snils';
export const QUERY_KINDS: readonly QueryKind[] = [
  'exact',
  'full name',
  'prefix',
  'misspelt',
  'initials',
  'date',
  'surname and year',
  'snils',
];

/** One slip in a word: two neighbours swapped, a letter dropped, doubled or replaced. */
function misspell(random: () => number, word: string): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + word.charAt(at) + word.slice(at);
    default:
      return word.slice(0, at) + 'ф' + word.slice(at + 1);
  }
}

function typedDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day ?? ''}.${month ?? ''}.${year ?? ''}`;
}

/** `count` queries about `patients`, cycling through the kinds of `QUERY_KINDS`. */
export function syntheticQueries(
  patients: readonly PatientEntry[],
  count: number,
  seed = 2,
): { kind: QueryKind; query: string }[] {
  const random = seededRandom(seed);
  const queries: { kind: QueryKind; query: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const kind = QUERY_KINDS[i % QUERY_KINDS.length] ?? 'exact';
    const patient = pick(random, patients);
    const surname = patient.surname.split('-')[0] ?? patient.surname;
    const initials = `${patient.name.charAt(0)}.${patient.patronymic?.charAt(0) ?? ''}.`;
    const query = {
      exact: patient.surname,
      'full name': `${patient.surname} ${patient.name} ${patient.patronymic ?? ''}`.trim(),
      prefix: surname.slice(0, 3 + Math.floor(random() * 3)).toLowerCase(),
      misspelt: surname.length >= 5 ? misspell(random, surname) : surname,
      initials: `${patient.surname} ${initials}`,
      date: typedDate(patient.birthDate ?? ''),
      'surname and year': `${surname.toLowerCase()} ${(patient.birthDate ?? '').slice(0, 4)}`,
      snils: patient.snils ?? '',
    }[kind];
    queries.push({ kind, query });
  }
  return queries;
}
