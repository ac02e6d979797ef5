/** English messages of the reports (merged into messages-en.ts; every key of reports-ru.ts must be here). */
import type { reportsRu } from './reports-ru.ts';

export const reportsEn: Readonly<Record<keyof typeof reportsRu, string>> = {};
