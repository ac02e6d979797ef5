/**
 * The municipal formations of the Republic of Karelia where patients live: two urban okrugs and the sixteen former
 * municipal districts, as they stand after the reforms of 2022–2025 (Suoyarvsky first; Belomorsky, Pitkyarantsky
 * and Segezhsky in 2023; Sortavalsky in 2024; Kemsky, Lakhdenpokhsky, Medvezhyegorsky and Muezersky in 2025 became
 * municipal okrugs). Slugs name the territory, not its status, so a record keeps pointing at the right place when
 * a district becomes an okrug: administrators then change `name` and `kind`, never the id.
 */
import type { District } from './types.ts';

export type DistrictSeed = Pick<District, 'name' | 'kind' | 'centre'> & { slug: string };

export const KARELIA_REGION = 'Республика Карелия';

export const KARELIA_DISTRICTS: readonly DistrictSeed[] = [
  { slug: 'petrozavodsk', name: 'Петрозаводский городской округ', kind: 'urban-okrug', centre: 'Петрозаводск' },
  { slug: 'kostomuksha', name: 'Костомукшский городской округ', kind: 'urban-okrug', centre: 'Костомукша' },
  { slug: 'belomorsky', name: 'Беломорский муниципальный округ', kind: 'municipal-okrug', centre: 'Беломорск' },
  { slug: 'kalevalsky', name: 'Калевальский муниципальный район', kind: 'municipal-district', centre: 'Калевала' },
  { slug: 'kemsky', name: 'Кемский муниципальный округ', kind: 'municipal-okrug', centre: 'Кемь' },
  { slug: 'kondopozhsky', name: 'Кондопожский муниципальный район', kind: 'municipal-district', centre: 'Кондопога' },
  { slug: 'lakhdenpokhsky', name: 'Лахденпохский муниципальный округ', kind: 'municipal-okrug', centre: 'Лахденпохья' },
  { slug: 'loukhsky', name: 'Лоухский муниципальный район', kind: 'municipal-district', centre: 'Лоухи' },
  {
    slug: 'medvezhyegorsky',
    name: 'Медвежьегорский муниципальный округ',
    kind: 'municipal-okrug',
    centre: 'Медвежьегорск',
  },
  { slug: 'muezersky', name: 'Муезерский муниципальный округ', kind: 'municipal-okrug', centre: 'Муезерский' },
  { slug: 'olonetsky', name: 'Олонецкий муниципальный район', kind: 'municipal-district', centre: 'Олонец' },
  { slug: 'pitkyarantsky', name: 'Питкярантский муниципальный округ', kind: 'municipal-okrug', centre: 'Питкяранта' },
  // The district is administered from Petrozavodsk, which is not part of it.
  { slug: 'prionezhsky', name: 'Прионежский муниципальный район', kind: 'municipal-district', centre: 'Петрозаводск' },
  { slug: 'pryazhinsky', name: 'Пряжинский муниципальный район', kind: 'municipal-district', centre: 'Пряжа' },
  { slug: 'pudozhsky', name: 'Пудожский муниципальный район', kind: 'municipal-district', centre: 'Пудож' },
  { slug: 'segezhsky', name: 'Сегежский муниципальный округ', kind: 'municipal-okrug', centre: 'Сегежа' },
  { slug: 'sortavalsky', name: 'Сортавальский муниципальный округ', kind: 'municipal-okrug', centre: 'Сортавала' },
  { slug: 'suoyarvsky', name: 'Суоярвский муниципальный округ', kind: 'municipal-okrug', centre: 'Суоярви' },
];
