/**
 * Not traceable (law 7.1.2.3 h; docs/operations.md, "Statistics"): pure rules that decide
 * which figures of a table may be shown.
 *
 * - Primary suppression: every figure below THRESHOLD (5), a total too, is shown as "< 5".
 * - Secondary suppression: a table is shown with its row totals, column totals and grand
 *   total. Each hidden figure must stay unknown given everything shown, the sums, and what
 *   "< 5" (0–4) and "x" (5 or more) tell. We guarantee it by construction: every hidden
 *   figure lies on a "rectangle" of hidden figures (two rows × two columns of the table
 *   with its totals) along which ±1 changes keep every row and column sum and every shown
 *   figure as it is, and keep each hidden figure within what its mark says. So at least two
 *   values are consistent with the page for every hidden figure. Where a hidden figure has
 *   no such rectangle yet, the cheapest one (the smallest figures, totals last) is hidden
 *   too, until every hidden figure has one (a fixed point). The test proves it by brute force.
 * - Sectors with fewer than MIN_ORGANISATIONS (3) organisations are not shown on their own
 *   (for Veilig Thuis or the police a sector figure is an organisation figure): they are
 *   merged into "Overige sectoren"; if that group still has fewer than 3 organisations the
 *   next-smallest sector joins it, until it has 3 (or everything is in it). This is decided
 *   per month from the organisations at the end of that month (`organisationsAt`), so a
 *   month's grouping, and with it its figures, never changes afterwards.
 * - No figure per professional and none per organisation: the counters hold neither.
 */
import { SECTORS, type Sector } from '../vocabulary.ts';

export const THRESHOLD = 5;
export const MIN_ORGANISATIONS = 3;

/**
 * A figure as it may be published: its value, or why it is not ('small': "< 5";
 * 'secondary': "x"; 'elsewhere': this column has no figure of its own in this month, e.g. a
 * sector counted under "Overige sectoren" that month, "–"; 'incomplete': the month's
 * follow-up is still going on, "nog niet volledig").
 */
export type Shown = { shown: true; value: number } | { shown: false; reason: 'small' | 'secondary' | 'elsewhere' | 'incomplete' };

/** A table of counts with its margins: rows (e.g. months) × columns (e.g. sectors). */
export interface Grid {
  cells: number[][];
  rowTotals: number[];
  columnTotals: number[];
  total: number;
}

export interface SuppressedGrid {
  cells: Shown[][];
  rowTotals: Shown[];
  columnTotals: Shown[];
  total: Shown;
}

type Status = 'shown' | 'small' | 'secondary';

/**
 * Hides what must be hidden in `grid`. Row totals are taken to be the sums of their rows and
 * column totals of their columns (for tables where they are not, e.g. a match counted for
 * each of its sectors, this is the stricter assumption).
 */
export function suppressGrid(grid: Grid, threshold = THRESHOLD): SuppressedGrid {
  const rows = grid.cells.length;
  const columns = grid.columnTotals.length;
  // The extended table: the last row holds the column totals, the last column the row totals.
  const value: number[][] = [...grid.cells.map((row, i) => [...row, grid.rowTotals[i] ?? 0]), [...grid.columnTotals, grid.total]];
  const R = rows + 1;
  const C = columns + 1;
  const status: Status[][] = value.map((row) => row.map((v) => (v < threshold ? 'small' : 'shown')));
  // With totals negated every row and column of the extended table sums to zero; a ±1
  // "rectangle" change in that signed table keeps all sums. τ gives the sign per index.
  const sign = (i: number, j: number) => (i === rows ? -1 : 1) * (j === columns ? -1 : 1);

  const fits = (st: Status, v: number) => (st === 'small' ? v >= 0 && v < threshold : v >= threshold);
  /** Whether changing the rectangle by ε keeps every corner within what its (future) mark says. */
  const feasible = (i: number, j: number, i2: number, j2: number, epsilon: number) =>
    (
      [
        [i, j, 1],
        [i, j2, -1],
        [i2, j, -1],
        [i2, j2, 1],
      ] as const
    ).every(([a, b, s]) => {
      const st = status[a]![b]!;
      const next = value[a]![b]! + epsilon * s * sign(a, b);
      return fits(st === 'shown' ? 'secondary' : st, next);
    });
  const hidden = (a: number, b: number) => status[a]![b] !== 'shown';
  /** What hiding a figure costs: small figures first, totals last, the grand total very last. */
  const cost = (a: number, b: number) => {
    if (hidden(a, b)) return 0;
    const margin = (a === rows ? 1 : 0) + (b === columns ? 1 : 0);
    return 1 + value[a]![b]! + margin * 1_000_000;
  };

  const queue: [number, number][] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (hidden(i, j)) queue.push([i, j]);
  let everything = false;
  while (queue.length > 0 && !everything) {
    const [i, j] = queue.shift()!;
    let best: { cost: number; corners: [number, number][] } | null = null;
    for (let i2 = 0; i2 < R && best?.cost !== 0; i2++) {
      if (i2 === i) continue;
      for (let j2 = 0; j2 < C; j2++) {
        if (j2 === j) continue;
        if (!feasible(i, j, i2, j2, 1) && !feasible(i, j, i2, j2, -1)) continue;
        const corners: [number, number][] = [
          [i, j2],
          [i2, j],
          [i2, j2],
        ];
        const c = corners.reduce((sum, [a, b]) => sum + cost(a, b), 0);
        if (!best || c < best.cost) best = { cost: c, corners };
        if (c === 0) break; // already protected
      }
    }
    if (!best) {
      everything = true; // no way to protect it: hide the whole table
      break;
    }
    for (const [a, b] of best.corners) {
      if (!hidden(a, b)) {
        status[a]![b] = 'secondary';
        queue.push([a, b]);
      }
    }
  }
  if (everything) for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (!hidden(i, j)) status[i]![j] = 'secondary';

  const out = (i: number, j: number): Shown => {
    const st = status[i]![j]!;
    return st === 'shown' ? { shown: true, value: value[i]![j]! } : { shown: false, reason: st };
  };
  return {
    cells: grid.cells.map((row, i) => row.map((_, j) => out(i, j))),
    rowTotals: grid.cells.map((_, i) => out(i, columns)),
    columnTotals: grid.columnTotals.map((_, j) => out(rows, j)),
    total: out(rows, columns),
  };
}

/** A column of the statistics: one sector, or the sectors too small to show on their own. */
export interface SectorGroup {
  key: Sector | 'merged';
  sectors: Sector[];
}

/**
 * The sector columns: each sector with at least MIN_ORGANISATIONS (active, real)
 * organisations on its own; the others together as 'merged' ("Overige sectoren"), topped up with the smallest
 * remaining sectors until that group has MIN_ORGANISATIONS organisations (or is everything).
 * Sectors with no organisation and nothing counted (`withData`) do not appear; a sector with
 * figures but no active organisation left (a deactivated one's history) is in 'merged'.
 */
export function groupSectors(
  organisationsPerSector: Partial<Record<Sector, number>>,
  withData: ReadonlySet<Sector> = new Set(),
  minimum = MIN_ORGANISATIONS,
): SectorGroup[] {
  const count = (s: Sector) => organisationsPerSector[s] ?? 0;
  const own = SECTORS.filter((s) => count(s) >= minimum);
  const other = SECTORS.filter((s) => count(s) < minimum && (count(s) > 0 || withData.has(s)));
  const otherCount = () => other.reduce((sum, s) => sum + count(s), 0);
  while (other.length > 0 && otherCount() < minimum && own.length > 0) {
    // The smallest sector shown on its own joins the group (the later one in SECTORS on a tie).
    const smallest = [...own].sort((a, b) => count(a) - count(b) || SECTORS.indexOf(b) - SECTORS.indexOf(a))[0]!;
    own.splice(own.indexOf(smallest), 1);
    other.push(smallest);
  }
  const groups: SectorGroup[] = own.map((s) => ({ key: s, sectors: [s] }));
  if (other.length > 0) groups.push({ key: 'merged', sectors: SECTORS.filter((s) => other.includes(s)) });
  return groups;
}

/** An organisation's life, as far as the grouping needs it (organisations are never deleted). */
export interface OrganisationLife {
  sector: Sector;
  createdAt: Date;
  /** When it was deactivated; null while active (an inactive one without a date never counts). */
  deactivatedAt: Date | null;
  active: boolean;
}

/**
 * The organisations per sector at the instant `end` (the end of a month): created before it
 * and not deactivated by then. `existed`: the sectors that had an organisation at any time
 * before `end` (their figures, if any, must be in some column). Depends only on the past
 * of `end`, so a month's grouping never changes afterwards.
 */
export function organisationsAt(lives: readonly OrganisationLife[], end: Date): { perSector: Partial<Record<Sector, number>>; existed: Set<Sector> } {
  const perSector: Partial<Record<Sector, number>> = {};
  const existed = new Set<Sector>();
  for (const o of lives) {
    if (o.createdAt.getTime() >= end.getTime()) continue;
    existed.add(o.sector);
    const stillActive = o.deactivatedAt ? o.deactivatedAt.getTime() >= end.getTime() : o.active;
    if (stillActive) perSector[o.sector] = (perSector[o.sector] ?? 0) + 1;
  }
  return { perSector, existed };
}

/** The median of a histogram (bucket → count); the mean of the two middle values for an even count. Null when empty. */
export function medianOfBuckets(histogram: ReadonlyMap<number, number>): number | null {
  const entries = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const nth = (k: number) => {
    let seen = 0;
    for (const [bucket, n] of entries) {
      seen += n;
      if (seen >= k) return bucket;
    }
    return entries[entries.length - 1]![0];
  };
  return total % 2 === 1 ? nth((total + 1) / 2) : (nth(total / 2) + nth(total / 2 + 1)) / 2;
}
