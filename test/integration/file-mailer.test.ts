/** Development mail as files: the .eml for a mail client, and a .txt whose links can be copied and grepped (issue 13). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createFileMailer } from '../../src/notify/transports/node.ts';

const dir = mkdtempSync(join(tmpdir(), 'betrokken-mail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes each mail as .eml and as plain text with its links whole', async () => {
  const link = `http://localhost:8787/account/activate?token=${'x'.repeat(60)}-${'y'.repeat(30)}`;
  await createFileMailer(dir).send({
    to: 'j.jansen@example.org',
    from: 'Betrokken <noreply@betrokken.localhost>',
    subject: 'Betrokken: u bent uitgenodigd',
    text: `Kies een wachtwoord: ${link}`,
    html: `<p><a href="${link}">Kies een wachtwoord</a></p>`,
    messageId: '<outbox-1@betrokken.test>',
  });
  const files = readdirSync(dir).sort();
  expect(files.map((f) => f.replace(/^.*-outbox-1betrokkentest/, ''))).toEqual(['.eml', '.txt']);
  const eml = readFileSync(join(dir, files[0]!), 'utf8');
  const txt = readFileSync(join(dir, files[1]!), 'utf8');
  expect(eml).not.toContain(link); // quoted-printable breaks a long line with "="
  expect(txt).toContain(link);
  expect(txt).toContain('To: j.jansen@example.org');
});
