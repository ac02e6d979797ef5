/** English messages of the patients pages (merged into messages-en.ts; every key of patients-ru.ts must be here). */
import type { patientsRu } from './patients-ru.ts';

export const patientsEn: Readonly<Record<keyof typeof patientsRu, string>> = {};
