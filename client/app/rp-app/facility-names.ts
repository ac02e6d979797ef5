/** The part of a `facility:<id>` reference document the shell needs: its id and name. */
export function isFacilityDoc(value: unknown): value is { id: string; name: string } {
  const doc = value as { type?: unknown; id?: unknown; name?: unknown } | null;
  return (
    typeof doc === 'object' &&
    doc !== null &&
    doc.type === 'facility' &&
    typeof doc.id === 'string' &&
    typeof doc.name === 'string'
  );
}
