/**
 * The rights desk's answer letter keeps to one register (issue 13): it is written to the
 * applicant in "u" throughout, never "je"/"jouw", for every kind of request, and names the
 * municipality and how to reach it.
 */
import { describe, expect, it } from 'vitest';
import type { RightsItemView, RightsRequestView } from '../../src/rights/requests.ts';
import { RIGHTS_REQUEST_KINDS } from '../../src/vocabulary.ts';
import { RightsLetterPage } from '../../src/views/pages/rights-letter.tsx';

const municipality = { name: 'Gemeente Teststad', address: 'Postbus 42, 9999 ZZ Teststad', phone: '14 099', email: 'verwijsindex@teststad.example' };

const item = (over: Partial<RightsItemView>): RightsItemView => ({
  id: 'i1',
  registrationId: 'r1',
  statusAtOpening: 'active',
  status: 'active',
  organisationName: 'Jeugdhulp Teststad',
  sector: 'youth_care',
  professionalName: 'Sam de Vries',
  professionalEmail: 'sam@jeugdhulp.example',
  professionalPhone: '010-1234567',
  professionalActive: true,
  registeredAt: new Date('2026-03-01T10:00:00Z'),
  endsOn: '2028-02-29',
  endedAt: null,
  informedOn: null,
  informedHow: null,
  adviceDueOn: null,
  advice: null,
  adviceAt: null,
  decision: 'grant',
  decidedBy: 'admin',
  executedAt: new Date('2026-04-01T10:00:00Z'),
  ...over,
});

function request(kind: RightsRequestView['kind'], items: RightsItemView[]): RightsRequestView {
  return {
    id: 'q1',
    kind,
    status: 'done',
    reference: 'AVG-2026-0042',
    receivedOn: '2026-03-20',
    deadlineOn: '2026-04-20',
    deadlineExtended: false,
    openedBy: 'admin',
    openedAt: new Date('2026-03-20T10:00:00Z'),
    decidedBy: 'admin',
    decidedAt: new Date('2026-03-25T10:00:00Z'),
    approvedBy: 'admin2',
    approvedAt: new Date('2026-03-26T10:00:00Z'),
    closedAt: new Date('2026-04-01T10:00:00Z'),
    items,
  };
}

async function letterText(r: RightsRequestView): Promise<string> {
  const html = String(await RightsLetterPage({ request: r, municipality, today: '2026-04-02' }).toString());
  const article = /<article class="betrokken-letter"[^>]*>([\s\S]*?)<\/article>/.exec(html)![1]!;
  return article.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the rights letter', () => {
  for (const kind of RIGHTS_REQUEST_KINDS) {
    for (const items of [[], [item({}), item({ id: 'i2', status: 'archived', informedOn: '2026-03-05', decision: 'refuse', executedAt: null })]]) {
      it(`is in "u" only, naming the municipality (${kind}, ${items.length} registrations)`, async () => {
        const text = await letterText(request(kind, items));
        expect(text).toMatch(/\b(u|uw)\b/i);
        expect(text).not.toMatch(/\b(je|jij|jou|jouw)\b/i);
        for (const value of Object.values(municipality)) expect(text).toContain(value);
      });
    }
  }
});
