/**
 * Typo tolerance for the patient search: how many slips a query word may have, and the distance that counts them.
 *
 * The distance is Damerau–Levenshtein in its "optimal string alignment" form: a letter added, dropped, replaced, or
 * two neighbours swapped ("Ивнаов" for "Иванов") cost one each. Short words get no tolerance (one slip in "Ли"
 * or "Ким" would match half the register); 4–7 letters get one slip, 8 and more get two.
 */

/** Slips allowed in a query word of `length` letters: 0 below 4, 1 below 8, else 2. */
export function typoAllowance(length: number): 0 | 1 | 2 {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * The optimal-string-alignment distance between `a` and `b` when it is at most `max`, else `max + 1`. Works in
 * three rolling rows and stops as soon as a whole row exceeds `max`, so a far-off word costs a few steps.
 */
export function distanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Uint8Array(3 * width * 2);
  // Three rows of one reused buffer: the scan calls this for every token of every patient.
  let previous = 0;
  let current = width;
  let next = 2 * width;
  for (let j = 0; j < width; j += 1) rows[current + j] = Math.min(j, 255);
  for (let i = 1; i <= a.length; i += 1) {
    rows[next] = Math.min(i, 255);
    let rowMin = rows[next] ?? 0;
    const letter = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j += 1) {
      const other = b.charCodeAt(j - 1);
      let value = Math.min(
        (rows[current + j] ?? 0) + 1,
        (rows[next + j - 1] ?? 0) + 1,
        (rows[current + j - 1] ?? 0) + (letter === other ? 0 : 1),
      );
      if (i > 1 && j > 1 && letter === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === other) {
        value = Math.min(value, (rows[previous + j - 2] ?? 0) + 1);
      }
      rows[next + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous, current, next] = [current, next, previous];
  }
  const distance = rows[current + width - 1] ?? 0;
  return distance > max ? max + 1 : distance;
}

let rows = new Uint8Array(3 * 64);
