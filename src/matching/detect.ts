/**
 * Matching decisions: pure functions over what was read about one subject. No I/O, so the
 * rules are unit-tested on their own and the same decision is applied on every runtime.
 *
 * Rules (docs/domain.md, "Matching"): a match exists while active registrations of two or more
 * different organisations exist for a subject; there is one open match per subject; every
 * active registration of the subject is a member of that open match. A deactivated
 * organisation takes no part (docs/domain.md, "People and organisations leave"): its active
 * registrations neither make nor join a match and do not count towards one; a deactivated
 * professional's registration still does (the organisation is still involved).
 */

export interface ActiveRegistration {
  registrationId: string;
  organisationId: string;
  professionalId: string;
  /** The registration's organisation is deactivated: it takes no part in matching. */
  organisationInactive?: boolean;
}

/** Whether the registration's organisation takes part in matching. */
export function participates(r: ActiveRegistration): boolean {
  return !r.organisationInactive;
}

export interface OpenMatch {
  id: string;
  /** Active members: the subject's active registrations. */
  members: ActiveRegistration[];
  /** Highest joinedSeq so far. */
  lastSeq: number;
}

export type RegisterDecision =
  /** No other organisation is active on the subject: no match (yet). */
  | { kind: 'none' }
  /** The newcomer makes two or more organisations: a new match with every active registration. */
  | { kind: 'create'; members: ActiveRegistration[] }
  /** An open match exists: the newcomer joins it; the existing members are told. */
  | { kind: 'join'; matchId: string; existing: ActiveRegistration[]; seq: number };

export function decideOnRegister(active: ActiveRegistration[], openMatch: OpenMatch | null, newcomer: ActiveRegistration): RegisterDecision {
  if (openMatch) {
    return { kind: 'join', matchId: openMatch.id, existing: openMatch.members.filter(participates), seq: openMatch.lastSeq + 1 };
  }
  const taking = active.filter(participates);
  const organisations = new Set([...taking.map((r) => r.organisationId), newcomer.organisationId]);
  if (organisations.size < 2) return { kind: 'none' };
  return { kind: 'create', members: [...taking, newcomer] };
}

export type LeaveDecision =
  /** The registration was not in an open match. */
  | { kind: 'none' }
  /** Two or more (active) organisations remain: the match goes on without the leaver. `remaining`: every remaining member. */
  | { kind: 'shrink'; matchId: string; remaining: ActiveRegistration[] }
  /** Fewer than two organisations remain: the match closes. */
  | { kind: 'close'; matchId: string; remaining: ActiveRegistration[] };

export function decideOnLeave(openMatch: OpenMatch | null, leavingRegistrationId: string): LeaveDecision {
  if (!openMatch?.members.some((m) => m.registrationId === leavingRegistrationId)) return { kind: 'none' };
  const remaining = openMatch.members.filter((m) => m.registrationId !== leavingRegistrationId);
  const organisations = new Set(remaining.filter(participates).map((m) => m.organisationId));
  return organisations.size >= 2 ? { kind: 'shrink', matchId: openMatch.id, remaining } : { kind: 'close', matchId: openMatch.id, remaining };
}
