import type { matchMembers } from '../../src/db/schema.ts';

type Member = Pick<typeof matchMembers.$inferSelect, 'registrationId' | 'joinedSeq'>;

/**
 * The notifications a match should have produced, from the order in which its members
 * joined: every founding member once; every later joiner once, plus once to each member
 * who was there before it. Keyed by registration id.
 */
export function expectedNotifications(members: Member[]): Map<string, number> {
  const expected = new Map<string, number>();
  const bump = (registrationId: string) => expected.set(registrationId, (expected.get(registrationId) ?? 0) + 1);
  for (const m of members.filter((m) => m.joinedSeq === 1)) bump(m.registrationId);
  for (const joiner of members.filter((m) => m.joinedSeq > 1)) {
    bump(joiner.registrationId);
    for (const m of members.filter((m) => m.joinedSeq < joiner.joinedSeq)) bump(m.registrationId);
  }
  return expected;
}
