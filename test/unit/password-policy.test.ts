import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/auth/password-policy.ts';

describe('password policy', () => {
  it('accepts a long passphrase without composition rules', () => {
    expect(passwordProblem('paard batterij nietje correct')).toBeNull();
    expect(passwordProblem(`${'a'.repeat(3)}bcdefghijklm`)).toBeNull();
  });

  it('refuses fewer than 12 or more than 128 characters', () => {
    expect(passwordProblem('kort-maar-1')).toMatch(/minstens 12/);
    expect(passwordProblem('x'.repeat(100) + 'y'.repeat(29))).toMatch(/hoogstens 128/);
    expect(passwordProblem('🙂'.repeat(12))).toBeNull(); // characters, not UTF-16 units
  });

  it('refuses common passwords, whatever their case', () => {
    expect(passwordProblem('1qaz2wsx3edc')).toMatch(/veelgebruikte/);
    expect(passwordProblem('QWERTY123456')).toMatch(/veelgebruikte/);
  });

  it('refuses the email address in the password and one repeated character', () => {
    expect(passwordProblem('janssen-geheim-2026', 'janssen@school.example')).toMatch(/e-mailadres/);
    expect(passwordProblem('zzzzzzzzzzzzzz')).toMatch(/herhaald/);
  });
});
