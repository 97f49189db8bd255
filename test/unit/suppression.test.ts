/**
 * Suppression (src/stats/suppress.ts): small figures are hidden, and by brute force over
 * every table consistent with what is shown, no hidden figure can be recovered from the
 * shown figures and totals: each has at least two possible values.
 */
import { describe, expect, it } from 'vitest';
import { type Grid, groupSectors, medianOfBuckets, organisationsAt, type Shown, suppressGrid, type SuppressedGrid } from '../../src/stats/suppress.ts';

function gridOf(cells: number[][]): Grid {
  const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
  const columnTotals = cells[0]!.map((_, j) => cells.reduce((a, r) => a + r[j]!, 0));
  return { cells, rowTotals, columnTotals, total: rowTotals.reduce((a, b) => a + b, 0) };
}

const fits = (s: Shown, v: number) => (s.shown ? s.value === v : s.reason === 'small' ? v >= 0 && v < 5 : v >= 5);

/**
 * Every table of non-negative cells (hidden cells tried from 0 to `cap`) that agrees with what
 * is shown: the shown cells and totals exactly, "< 5" as 0–4, "x" as 5 or more. Returns, per
 * hidden figure (cells and totals, keyed "r,c" with the totals as the last row/column), the
 * set of values it takes in those tables.
 */
function consistentValues(shown: SuppressedGrid, cap: number): Map<string, Set<number>> {
  const rows = shown.cells.length;
  const columns = shown.columnTotals.length;
  const unknown: [number, number][] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) if (!shown.cells[i]![j]!.shown) unknown.push([i, j]);
  const values = new Map<string, Set<number>>();
  const record = (key: string, v: number) => {
    if (!values.has(key)) values.set(key, new Set());
    values.get(key)!.add(v);
  };
  const cells = shown.cells.map((r) => r.map((c) => (c.shown ? c.value : 0)));
  const rowOk = (i: number) =>
    fits(
      shown.rowTotals[i]!,
      cells[i]!.reduce((a, b) => a + b, 0),
    );
  const shownOr = (s: Shown, otherwise: number) => (s.shown ? s.value : otherwise);
  const visit = (k: number) => {
    // Prune: every row whose hidden cells are all chosen must agree with its total.
    const row = k < unknown.length ? unknown[k]![0] : rows;
    for (let i = k > 0 ? unknown[k - 1]![0] : 0; i < row; i++) if (!rowOk(i)) return;
    if (k === unknown.length) {
      const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
      const columnTotals = cells[0]!.map((_, j) => cells.reduce((a, r) => a + r[j]!, 0));
      const total = rowTotals.reduce((a, b) => a + b, 0);
      if (!rowTotals.every((v, i) => fits(shown.rowTotals[i]!, v))) return;
      if (!columnTotals.every((v, j) => fits(shown.columnTotals[j]!, v))) return;
      if (!fits(shown.total, total)) return;
      for (const [i, j] of unknown) record(`${i},${j}`, cells[i]![j]!);
      for (const [i, v] of rowTotals.entries()) if (!shown.rowTotals[i]!.shown) record(`${i},${columns}`, v);
      for (const [j, v] of columnTotals.entries()) if (!shown.columnTotals[j]!.shown) record(`${rows},${j}`, v);
      if (!shown.total.shown) record(`${rows},${columns}`, total);
      return;
    }
    const [i, j] = unknown[k]!;
    const mark = shown.cells[i]![j]!;
    // A cell is at most its row's, its column's and the grand total, where they are shown.
    const upper = Math.min(cap, shownOr(shown.rowTotals[i]!, cap), shownOr(shown.columnTotals[j]!, cap), shownOr(shown.total, cap));
    const [from, to] = !mark.shown && mark.reason === 'small' ? [0, 4] : [5, upper];
    for (let v = from; v <= to; v++) {
      cells[i]![j] = v;
      visit(k + 1);
    }
    cells[i]![j] = 0;
  };
  visit(0);
  return values;
}

function hiddenKeys(shown: SuppressedGrid): string[] {
  const rows = shown.cells.length;
  const columns = shown.columnTotals.length;
  const keys: string[] = [];
  for (const [i, r] of shown.cells.entries()) for (const [j, c] of r.entries()) if (!c.shown) keys.push(`${i},${j}`);
  for (const [i, c] of shown.rowTotals.entries()) if (!c.shown) keys.push(`${i},${columns}`);
  for (const [j, c] of shown.columnTotals.entries()) if (!c.shown) keys.push(`${rows},${j}`);
  if (!shown.total.shown) keys.push(`${rows},${columns}`);
  return keys;
}

/** The proof: the true table is among the consistent ones, and every hidden figure has two or more possible values. */
function expectNotRecoverable(cells: number[][]) {
  const grid = gridOf(cells);
  const shown = suppressGrid(grid);
  // Small figures are never shown, totals included.
  for (const [i, r] of shown.cells.entries()) for (const [j, c] of r.entries()) expect(c.shown && cells[i]![j]! < 5).toBe(false);
  expect(shown.rowTotals.every((c, i) => !(c.shown && grid.rowTotals[i]! < 5))).toBe(true);
  expect(shown.columnTotals.every((c, j) => !(c.shown && grid.columnTotals[j]! < 5))).toBe(true);
  expect(shown.total.shown && grid.total < 5).toBe(false);
  const values = consistentValues(shown, grid.total + 6);
  for (const key of hiddenKeys(shown)) {
    const [i, j] = key.split(',').map(Number) as [number, number];
    const truth = i < cells.length ? (j < cells[0]!.length ? cells[i]![j]! : grid.rowTotals[i]!) : j < cells[0]!.length ? grid.columnTotals[j]! : grid.total;
    expect(values.get(key), `hidden figure ${key}`).toContain(truth);
    expect(values.get(key)!.size, `hidden figure ${key} (${truth}) can be recovered`).toBeGreaterThanOrEqual(2);
  }
  return shown;
}

describe('suppressGrid', () => {
  it('shows a table without small figures as it is', () => {
    const shown = suppressGrid(gridOf([[7, 9, 12]]));
    expect(shown.cells[0]).toEqual([7, 9, 12].map((value) => ({ shown: true, value })));
    expect(shown.total).toEqual({ shown: true, value: 28 });
  });

  it('a row 7, 3, 12 with total 22: the 3 is "< 5" and it cannot be recovered from the total (the 7 goes too)', () => {
    const shown = expectNotRecoverable([[7, 3, 12]]);
    expect(shown.cells[0]![1]).toEqual({ shown: false, reason: 'small' });
    expect(shown.cells[0]!.filter((c) => !c.shown).length).toBeGreaterThanOrEqual(2);
    expect(shown.cells[0]![0]).toEqual({ shown: false, reason: 'secondary' });
    expect(shown.cells[0]![2]).toEqual({ shown: true, value: 12 });
  });

  it('two months × three sectors with a small cell: hidden in its row and column, not recoverable', () => {
    const shown = expectNotRecoverable([
      [7, 3, 12],
      [8, 10, 6],
    ]);
    expect(shown.cells[0]![1]!.shown).toBe(false);
  });

  it.each([
    [[[0, 0, 0]]],
    [
      [
        [1, 0],
        [0, 0],
      ],
    ],
    [
      [
        [4, 4],
        [4, 4],
      ],
    ],
    [
      [
        [5, 1],
        [6, 9],
      ],
    ],
    [
      [
        [8, 1, 10],
        [9, 12, 2],
        [6, 5, 7],
      ],
    ],
    [
      [
        [2, 7],
        [9, 3],
        [6, 6],
      ],
    ],
    [[[1], [2], [9]]],
    [[[12, 0, 7, 5]]],
    [
      [
        [6, 6],
        [6, 6],
        [6, 0],
      ],
    ],
  ])('no hidden figure of %j can be recovered', (cells) => {
    expectNotRecoverable(cells);
  });

  it('random small tables: no hidden figure can be recovered', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 40; n++) {
      const rows = 1 + Math.floor(random() * 2);
      const columns = 2 + Math.floor(random() * 2);
      const cells = Array.from({ length: rows }, () => Array.from({ length: columns }, () => Math.floor(random() * (random() < 0.5 ? 5 : 14))));
      expectNotRecoverable(cells);
    }
  });

  it('a single hidden cell with a shown total would be recoverable, so this never happens', () => {
    const grid = gridOf([
      [30, 40, 2],
      [50, 60, 70],
    ]);
    const shown = suppressGrid(grid);
    for (const row of shown.cells) {
      const hidden = row.filter((c) => !c.shown).length;
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
  });
});

describe('groupSectors', () => {
  it('a sector with fewer than 3 organisations is merged into "merged"; if that has fewer than 3, the next-smallest sector joins', () => {
    expect(groupSectors({ youth_care: 4, education: 5, police: 1 })).toEqual([
      { key: 'education', sectors: ['education'] },
      { key: 'merged', sectors: ['youth_care', 'police'] },
    ]);
  });

  it('one sector with one organisation: nothing on its own', () => {
    expect(groupSectors({ safe_home: 1 })).toEqual([{ key: 'merged', sectors: ['safe_home'] }]);
  });

  it('enough organisations per sector: each on its own; empty sectors without figures are left out', () => {
    expect(groupSectors({ youth_care: 3, education: 3 }).map((g) => g.key)).toEqual(['youth_care', 'education']);
    expect(groupSectors({ youth_care: 3, education: 3, police: 1, safe_home: 2 }).map((g) => g.key)).toEqual(['youth_care', 'education', 'merged']);
  });

  it('a sector with figures but no active organisation left goes into "merged"', () => {
    const groups = groupSectors({ youth_care: 5, education: 3, police: 0 }, new Set(['police']));
    expect(groups.find((g) => g.key === 'merged')?.sectors).toContain('police');
    expect(groups.find((g) => g.key === 'merged')!.sectors.length).toBeGreaterThanOrEqual(2);
  });
});

describe('organisationsAt (the grouping of a month, from the organisations at its end)', () => {
  const end = new Date('2030-04-01T00:00:00+02:00');
  const at = (iso: string) => new Date(iso);
  const lives = [
    { sector: 'police' as const, createdAt: at('2030-01-01T00:00:00Z'), deactivatedAt: null, active: true },
    // Deactivated after the month: still counted for it.
    { sector: 'police' as const, createdAt: at('2030-01-01T00:00:00Z'), deactivatedAt: at('2030-05-01T00:00:00Z'), active: false },
    // Deactivated within the month: not counted, but the sector existed.
    { sector: 'safe_home' as const, createdAt: at('2030-01-01T00:00:00Z'), deactivatedAt: at('2030-03-20T00:00:00Z'), active: false },
    // Created after the month (a third organisation later): not counted for it.
    { sector: 'police' as const, createdAt: end, deactivatedAt: null, active: true },
    { sector: 'education' as const, createdAt: at('2030-06-01T00:00:00Z'), deactivatedAt: null, active: true },
    // Inactive without a date (from before the column): never counted.
    { sector: 'hospital' as const, createdAt: at('2029-01-01T00:00:00Z'), deactivatedAt: null, active: false },
  ];

  it('counts the organisations created before the end and not deactivated by then; later changes do not matter', () => {
    const { perSector, existed } = organisationsAt(lives, end);
    expect(perSector).toEqual({ police: 2 });
    expect([...existed].sort()).toEqual(['hospital', 'police', 'safe_home']);
    // The same month, computed when everything is deactivated later on, reads the same.
    const later = lives.map((o) => (o.active ? { ...o, active: false, deactivatedAt: at('2031-01-01T00:00:00Z') } : o));
    expect(organisationsAt(later, end).perSector).toEqual({ police: 2 });
    expect(groupSectors(organisationsAt(later, end).perSector, organisationsAt(later, end).existed)).toEqual(groupSectors(perSector, existed));
  });
});

describe('medianOfBuckets', () => {
  it('odd and even counts, empty', () => {
    expect(
      medianOfBuckets(
        new Map([
          [1, 1],
          [3, 1],
          [9, 1],
        ]),
      ),
    ).toBe(3);
    expect(
      medianOfBuckets(
        new Map([
          [2, 2],
          [4, 2],
        ]),
      ),
    ).toBe(3);
    expect(
      medianOfBuckets(
        new Map([
          [5, 3],
          [0, 1],
        ]),
      ),
    ).toBe(5);
    expect(medianOfBuckets(new Map())).toBeNull();
  });
});
