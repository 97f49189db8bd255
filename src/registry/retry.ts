import { AtomicConflict } from '../db/types.ts';
import { ServiceError } from '../lib/errors.ts';

/**
 * Re-runs read → decide → write when the unit's guard found the state changed underneath
 * it. Conflicts only happen between requests on the same subject, so a few attempts with
 * a short random pause settle even a burst of concurrent registrations.
 */
export async function withConflictRetry<T>(unit: () => Promise<T>, attempts = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await unit();
    } catch (error) {
      if (!(error instanceof AtomicConflict)) throw error;
      if (attempt >= attempts)
        throw new ServiceError('conflict', 'De registratie kon door gelijktijdige wijzigingen niet worden verwerkt. Probeer het opnieuw.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
    }
  }
}
