/** The login pages' forms (request parsing; the verbs check the input again). */
import { z } from 'zod';
import { PASSWORD_MAX } from '../../auth/password-policy.ts';

export const LoginForm = z.object({
  email: z.string().trim().min(1, 'Vul uw e-mailadres in.').max(254, 'Dit e-mailadres is te lang.'),
  password: z
    .string()
    .min(1, 'Vul uw wachtwoord in.')
    .max(PASSWORD_MAX * 4, 'Dit wachtwoord is te lang.'),
  terug: z.string().optional(),
});

export const CodeForm = z.object({
  code: z.string().trim().min(1, 'Vul de code in.').max(20, 'Deze code is te lang.'),
  terug: z.string().optional(),
});

export const PasswordForm = z
  .object({
    token: z.string().min(1).max(100),
    password: z.string().min(1, 'Kies een wachtwoord.'),
    confirm: z.string().min(1, 'Herhaal het wachtwoord.'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'De twee wachtwoorden zijn niet gelijk.' });

export const ForgotForm = z.object({ email: z.email('Vul een geldig e-mailadres in.').max(254) });
