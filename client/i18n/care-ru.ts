/** Russian messages of the care pages (merged into messages-ru.ts). */
export const careRu = {} as const;
