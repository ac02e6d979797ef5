/**
 * The identity half of a synthetic patient: what the passport form takes (name, birth date, SNILS, OMS policy,
 * identity document, an address in a district of Karelia, phones, relatives). Names, birth dates, SNILS and policy
 * numbers come from common/search/synthetic-patients.ts, the same generator the search is measured with; nothing
 * here belongs to a real person. Sex is read from the patronymic (-вна/-чна), so a patient without one is drawn
 * again.
 */
import type { PatientEntry } from '../../common/search/matching.ts';
import { syntheticPatients } from '../../common/search/synthetic-patients.ts';
import { KARELIA_DISTRICTS } from '../../common/reference/districts-karelia.ts';
import type { Contact, PassportData, Sex } from '../../common/records/types.ts';
import { addDays, between, chance, mixSeed, pick, weighted, type Random } from './random.ts';

export type PassportInput = Omit<PassportData, 'patientId'>;

/** A synthetic person with a patronymic, and their sex. */
interface Person {
  entry: PatientEntry & { patronymic: string };
  sex: Sex;
}

/** A synthetic person with a patronymic, born before `bornBefore`. */
function person(random: Random, bornBefore = '9999-12-31'): Person {
  for (;;) {
    const [entry] = syntheticPatients(1, mixSeed(Math.floor(random() * 2 ** 32)));
    const patronymic = entry?.patronymic;
    if (entry && patronymic && (entry.birthDate ?? '') < bornBefore) {
      const sex: Sex = /(вна|чна)$/.test(patronymic) ? 'female' : 'male';
      return { entry: { ...entry, patronymic }, sex };
    }
  }
}

/** Districts weighted roughly by population: the capital first. */
const DISTRICT_WEIGHTS: Readonly<Record<string, number>> = Object.fromEntries(
  KARELIA_DISTRICTS.map((district) => [
    district.slug,
    district.slug === 'petrozavodsk' ? 40 : district.slug === 'kondopozhsky' || district.slug === 'kostomuksha' ? 6 : 3,
  ]),
);

const STREETS = [
  'ул. Ленина',
  'ул. Кирова',
  'ул. Гоголя',
  'ул. Пушкинская',
  'ул. Советская',
  'ул. Первомайская',
  'ул. Лесная',
  'ул. Набережная',
  'ул. Онежская',
  'ул. Заводская',
  'ул. Северная',
  'ул. Школьная',
  'пр. Октябрьский',
  'ул. Мира',
];

const FEMALE_RELATIONS = ['дочь', 'жена', 'сестра', 'внучка', 'невестка', 'соседка', 'социальный работник'];
const MALE_RELATIONS = ['сын', 'муж', 'брат', 'внук', 'зять', 'сосед'];

function digits(random: Random, count: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) text += String(between(random, 0, 9));
  return text;
}

function mobile(random: Random): string {
  return `+79${digits(random, 9)}`;
}

function relative(random: Random, surname: string): Contact {
  const { entry, sex } = person(random);
  const relation = pick(random, sex === 'female' ? FEMALE_RELATIONS : MALE_RELATIONS);
  const family = !relation.startsWith('сосед') && !relation.startsWith('социальный');
  const name = `${family ? surname : entry.surname} ${entry.name} ${entry.patronymic}`;
  return { name, relation, ...(chance(random, 0.9) ? { phone: mobile(random) } : {}) };
}

/** The surname a relative of the other sex would carry (Иванова → Иванов); unchanged when it does not decline. */
function familySurname(surname: string, sex: Sex): string {
  if (sex === 'male') return surname;
  if (/(ова|ева|ёва|ина|ына)$/.test(surname)) return surname.slice(0, -1);
  if (/ская$/.test(surname)) return `${surname.slice(0, -2)}ий`;
  return surname;
}

/** A passport as the form would take it; `today` bounds the dates. */
export function passportInput(random: Random, today: string): { passport: PassportInput; districtId: string } {
  const { entry, sex } = person(random, addDays(today, -30));
  const slug = weighted(random, DISTRICT_WEIGHTS);
  const district = KARELIA_DISTRICTS.find((item) => item.slug === slug) ?? KARELIA_DISTRICTS[0];
  const districtId = `district:${district?.slug ?? 'petrozavodsk'}`;
  const birthYear = Number(entry.birthDate?.slice(0, 4));
  const child = Number(today.slice(0, 4)) - birthYear < 18;
  const birthDate = entry.birthDate ?? '1950-01-01';
  const issuedOn = addDays(birthDate, (child ? 30 : between(random, 20, 45) * 365) + between(random, 0, 300));
  const house = between(random, 1, 120);
  const flat = chance(random, 0.7) ? `, кв. ${between(random, 1, 200)}` : '';
  const relatives = between(random, child ? 1 : 0, 2);
  const caregivers: Contact[] = [];
  for (let i = 0; i < relatives; i += 1) caregivers.push(relative(random, familySurname(entry.surname, sex)));
  const passport: PassportInput = {
    surname: entry.surname,
    name: entry.name,
    patronymic: entry.patronymic,
    birthDate,
    sex,
    ...(entry.snils && chance(random, 0.97) ? { snils: entry.snils } : {}),
    ...(entry.omsPolicy && /^\d{16}$/.test(entry.omsPolicy) ? { omsPolicy: entry.omsPolicy } : {}),
    ...(issuedOn <= today
      ? {
          identityDocument: child
            ? { kind: 'birth-certificate' as const, series: 'I-ГИ', number: digits(random, 6), issuedOn }
            : {
                kind: 'passport-rf' as const,
                series: `86${digits(random, 2)}`,
                number: digits(random, 6),
                issuedBy: 'МВД по Республике Карелия',
                issuedOn,
              },
        }
      : {}),
    address: {
      text: `${district?.centre ?? 'Петрозаводск'}, ${pick(random, STREETS)}, д. ${house}${flat}`,
      districtId,
    },
    phones: chance(random, 0.8) ? [mobile(random)] : [],
    ...(child || chance(random, 0.04) ? { legalRepresentative: relative(random, entry.surname) } : {}),
    caregivers,
  };
  return { passport, districtId };
}
