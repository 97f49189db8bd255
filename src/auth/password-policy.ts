/**
 * Password rules (NIST SP 800-63B, as the issues ask): 12 to 128 characters, no composition
 * rules, not the account's e-mail address, and hard to guess: a zxcvbn score of at least 3
 * (`@zxcvbn-ts/core` with the common dictionaries of `@zxcvbn-ts/language-common`, ~49,000
 * leaked passwords, and the Dutch ones of `@zxcvbn-ts/language-nl-be`: common words, first
 * names, last names, Wikipedia words). So `welkom123456` and `Wachtwoord123` are refused,
 * and so is anything built from the account's own name, e-mail address or organisation.
 * Returns a Dutch message for the form, or null. One function for every way a password is set.
 */

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
/** zxcvbn's 0–4 scale; 3 is "safely unguessable: moderate protection from an offline attack" (≥ 10⁸ guesses). */
export const PASSWORD_MIN_SCORE = 3;

/** What is known about the account: words an attacker would try first. */
export interface PasswordContext {
  email?: string;
  name?: string;
  organisation?: string;
  /** More words, e.g. the municipality's name. */
  extra?: readonly string[];
}

/** Words every account has in common: the service itself. */
const SERVICE_WORDS = ['betrokken', 'verwijsindex'];

type Judge = (password: string, userInputs: string[]) => { score: number; warning: string | null; suggestions: string[] };

/**
 * Built at the first password check, not at import, and only once (a module-level promise):
 * the dictionaries are ~120,000 words (~100 ms to rank) that the CLI, every start and every
 * page that sets no password would otherwise pay (issue 12). Dynamic imports, so the Node
 * build and the Worker bundle both evaluate them only here. A failed load is tried again.
 */
let judge: Promise<Judge> | undefined;
function strengthJudge(): Promise<Judge> {
  judge ??= (async (): Promise<Judge> => {
    const [{ ZxcvbnFactory }, common, dutch] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-nl-be'),
    ]);
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...dutch.dictionary },
      graphs: common.adjacencyGraphs,
      translations: formal(dutch.translations),
      // Off (the default): it measured 200–400 ms a check instead of 5–40 ms, too much CPU
      // for a Worker; the leaked-passwords list still catches exact and l33t variants.
      useLevenshteinDistance: false,
    });
    return (password, userInputs) => {
      const result = factory.check(password, userInputs);
      return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
    };
  })().catch((error: unknown) => {
    judge = undefined;
    throw error;
  });
  return judge;
}

type Translations = typeof import('@zxcvbn-ts/language-nl-be').translations;

/**
 * The Dutch language pack's feedback, in the register of the rest of the app ("u", not
 * "je"), and worded for a message that starts with "Dit wachtwoord is te voorspelbaar.".
 */
function formal(pack: Translations): Translations {
  return {
    ...pack,
    warnings: {
      ...pack.warnings,
      straightRow: 'Toetsen die op het toetsenbord naast elkaar liggen, zijn makkelijk te raden.',
      keyPattern: 'Korte patronen op het toetsenbord zijn makkelijk te raden.',
      simpleRepeat: 'Herhaalde tekens zoals "aaa" zijn makkelijk te raden.',
      extendedRepeat: 'Herhaalde patronen zoals "abcabcabc" zijn makkelijk te raden.',
      topTen: 'Het is een van de meest gebruikte wachtwoorden.',
      topHundred: 'Het is een veelgebruikt wachtwoord.',
      common: 'Het komt voor in lijsten van veelgebruikte wachtwoorden.',
      similarToCommon: 'Het lijkt op een veelgebruikt wachtwoord.',
      wordByItself: 'Eén woord op zich is makkelijk te raden.',
      namesByThemselves: 'Namen op zich zijn makkelijk te raden.',
      userInputs: 'Het bevat uw naam, uw e-mailadres, de naam van uw organisatie of van Betrokken.',
    },
    suggestions: {
      ...pack.suggestions,
      capitalization: 'Een hoofdletter aan het begin maakt het niet sterker.',
      allUppercase: 'Alleen hoofdletters maakt het niet sterker.',
      dates: 'Vermijd datums en jaartallen die met u te maken hebben.',
      associatedYears: 'Vermijd jaartallen die met u te maken hebben.',
      longerKeyboardPattern: 'Vermijd patronen op het toetsenbord.',
      anotherWord: 'Voeg meer woorden toe die minder vaak voorkomen.',
      useWords: 'Gebruik een paar woorden, maar geen bekende uitdrukking.',
      noNeed: 'Speciale tekens, hoofdletters of cijfers zijn niet nodig voor een sterk wachtwoord.',
    },
  };
}

/**
 * The account's words as zxcvbn user inputs: each value whole, without its spaces and
 * punctuation, and its parts ("jan.de.vries@jeugdzorg.example" gives "jan.de.vries",
 * "jandevries", "jan", "vries", "jeugdzorg", …), so a password built from them scores low.
 */
export function passwordUserInputs(context: PasswordContext = {}): string[] {
  const words = new Set(SERVICE_WORDS);
  const [local, domain] = (context.email ?? '').toLowerCase().split('@');
  for (const value of [local, domain, context.name, context.organisation, ...(context.extra ?? [])]) {
    const lower = value?.trim().toLowerCase();
    if (!lower) continue;
    words.add(lower);
    const parts = lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    words.add(parts.join(''));
    for (const part of parts) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/** zxcvbn's score (0–4) and feedback for a password; for the policy and its tests. */
export async function passwordStrength(password: string, context: PasswordContext = {}): Promise<ReturnType<Judge>> {
  return (await strengthJudge())(password, passwordUserInputs(context));
}

export async function passwordProblem(password: string, context: PasswordContext = {}): Promise<string | null> {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Kies een wachtwoord van minstens ${PASSWORD_MIN} tekens.`;
  if (length > PASSWORD_MAX) return `Een wachtwoord is hoogstens ${PASSWORD_MAX} tekens.`;
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) return 'Gebruik uw e-mailadres niet in uw wachtwoord.';
  const { score, warning, suggestions } = await passwordStrength(password, context);
  if (score >= PASSWORD_MIN_SCORE) return null;
  return ['Dit wachtwoord is te voorspelbaar.', warning, ...suggestions.slice(0, 2)].filter(Boolean).join(' ');
}
