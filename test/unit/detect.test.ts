import { describe, expect, it } from 'vitest';
import { decideOnLeave, decideOnRegister, type ActiveRegistration, type OpenMatch } from '../../src/matching/detect.ts';

const reg = (id: string, org: string): ActiveRegistration => ({ registrationId: id, organisationId: org, professionalId: `p-${id}` });

describe('decideOnRegister', () => {
  it('makes no match for the first registration', () => {
    expect(decideOnRegister([], null, reg('r1', 'A'))).toEqual({ kind: 'none' });
  });

  it('makes no match between two professionals of the same organisation', () => {
    expect(decideOnRegister([reg('r1', 'A')], null, reg('r2', 'A'))).toEqual({ kind: 'none' });
  });

  it('creates a match with every active registration when a second organisation registers', () => {
    const decision = decideOnRegister([reg('r1', 'A'), reg('r2', 'A')], null, reg('r3', 'B'));
    expect(decision).toEqual({ kind: 'create', members: [reg('r1', 'A'), reg('r2', 'A'), reg('r3', 'B')] });
  });

  it('joins the open match instead of creating a second one', () => {
    const open: OpenMatch = { id: 'm1', members: [reg('r1', 'A'), reg('r2', 'B')], lastSeq: 1 };
    expect(decideOnRegister(open.members, open, reg('r3', 'C'))).toEqual({
      kind: 'join',
      matchId: 'm1',
      existing: open.members,
      seq: 2,
    });
  });

  it('lets a colleague of an existing member join the open match too', () => {
    const open: OpenMatch = { id: 'm1', members: [reg('r1', 'A'), reg('r2', 'B')], lastSeq: 3 };
    expect(decideOnRegister(open.members, open, reg('r3', 'A'))).toMatchObject({ kind: 'join', seq: 4 });
  });
});

describe('decideOnLeave', () => {
  const open: OpenMatch = { id: 'm1', members: [reg('r1', 'A'), reg('r2', 'B'), reg('r3', 'C')], lastSeq: 2 };

  it('does nothing for a registration outside an open match', () => {
    expect(decideOnLeave(null, 'r1')).toEqual({ kind: 'none' });
    expect(decideOnLeave(open, 'r9')).toEqual({ kind: 'none' });
  });

  it('shrinks the match while two organisations remain', () => {
    expect(decideOnLeave(open, 'r3')).toEqual({ kind: 'shrink', matchId: 'm1', remaining: [reg('r1', 'A'), reg('r2', 'B')] });
  });

  it('closes the match when fewer than two organisations remain', () => {
    const two: OpenMatch = { id: 'm1', members: [reg('r1', 'A'), reg('r2', 'A'), reg('r3', 'B')], lastSeq: 1 };
    expect(decideOnLeave(two, 'r3')).toEqual({ kind: 'close', matchId: 'm1', remaining: [reg('r1', 'A'), reg('r2', 'A')] });
  });
});
