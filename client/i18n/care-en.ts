/** English messages of the care pages (merged into messages-en.ts; every key of care-ru.ts must be here). */
import type { careRu } from './care-ru.ts';

export const careEn: Readonly<Record<keyof typeof careRu, string>> = {};
