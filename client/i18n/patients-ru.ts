/** Russian messages of the patients pages (merged into messages-ru.ts). */
export const patientsRu = {} as const;
