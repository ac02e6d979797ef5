/**
 * Password strength with zxcvbn (a maintained estimator, ARCHITECTURE.md "Keys": the server sees authKey and
 * could test guesses offline, so weak passwords are refused). zxcvbn and its dictionaries are about a megabyte,
 * so they are loaded on first use with dynamic imports and stay out of the first-load bundle.
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export type StrengthScore = 0 | 1 | 2 | 3 | 4;
/** "Good" or better: the least the register accepts for a new password. */
export const MIN_PASSWORD_SCORE: StrengthScore = 3;

/** Words a guesser would try first against this application. */
const APPLICATION_WORDS = ['palliative', 'register', 'karelia', 'hospice', 'паллиатив', 'регистр', 'карелия', 'хоспис'];

let checker: Promise<ZxcvbnFactory> | null = null;

function loadChecker(): Promise<ZxcvbnFactory> {
  checker ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, english]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...english.dictionary },
        graphs: common.adjacencyGraphs,
        translations: english.translations,
        useLevenshteinDistance: true,
      }),
    (error: unknown) => {
      checker = null; // offline on first use: try again next time
      throw error;
    },
  );
  return checker;
}

/** zxcvbn's score from 0 (trivial) to 4 (very strong), with the user's own names counted as guessable. */
export async function passwordScore(password: string, userInputs: readonly string[] = []): Promise<StrengthScore> {
  const zxcvbn = await loadChecker();
  const result = await zxcvbn.checkAsync(password, [...userInputs, ...APPLICATION_WORDS]);
  return result.score as StrengthScore;
}
