import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../src/identity/ids.ts';
import { pathId } from '../../src/routes/http/path-ids.ts';

describe('timeOrderedId', () => {
  it('is a version 7 UUID that the paths accept as an id', () => {
    const id = timeOrderedId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pathId(`/registrations/${id}`)).toEqual({ id, valid: true });
  });

  it('sorts by the time it was made, and is unique within one millisecond', () => {
    const earlier = timeOrderedId(Date.UTC(2026, 10, 29, 8, 0, 0));
    const later = timeOrderedId(Date.UTC(2026, 10, 29, 8, 0, 1));
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 13)).toBe(
      Date.UTC(2026, 10, 29, 8, 0, 0)
        .toString(16)
        .padStart(12, '0')
        .replace(/^(.{8})/, '$1-'),
    );
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(same.size).toBe(1000);
  });
});
