/** Russian messages of the reports (merged into messages-ru.ts). */
export const reportsRu = {} as const;
