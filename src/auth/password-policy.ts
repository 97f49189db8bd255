/**
 * Password rules (NIST SP 800-63B, as the issue asks): 12 to 128 characters, no composition
 * rules, and not a known common password (the zxcvbn-ts common list, ~49,000 entries,
 * bundled). Returns a Dutch message for the form, or null.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

// Built at the first password check, not at import: ~50 ms that the CLI and every start
// would otherwise pay (issue 12).
let common: Set<string> | undefined;
function isCommon(lower: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common.has(lower);
}

export function passwordProblem(password: string, email?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Kies een wachtwoord van minstens ${PASSWORD_MIN} tekens.`;
  if (length > PASSWORD_MAX) return `Een wachtwoord is hoogstens ${PASSWORD_MAX} tekens.`;
  const lower = password.toLowerCase();
  if (isCommon(lower)) return 'Dit wachtwoord komt voor in lijsten van veelgebruikte wachtwoorden. Kies een ander.';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Gebruik uw e-mailadres niet in uw wachtwoord.';
  if (/^(.)\1+$/.test(password)) return 'Kies een wachtwoord dat niet uit één herhaald teken bestaat.';
  return null;
}
