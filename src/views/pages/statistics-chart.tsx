/**
 * Server-rendered bar charts for the statistics page: plain SVG, no script. Accessible: the
 * chart is one image (role="img") named by its <title> and described by its <desc>; the
 * same figures are in the table beside it. A hidden figure is never drawn as a value: "< 5"
 * is a hatched bar up to 5 (all that is known of it), "x" a gap marked with "x".
 * Colours are the theme's (src/views/styles.css: --betrokken-green, -green-dark, -muted); the
 * CSP forbids style attributes, so they are written out as presentation attributes.
 */
import type { Shown } from '../../stats/suppress.ts';

const GREEN = '#00811f';
const GREEN_DARK = '#005a16';
const INK = '#1a1a1a';
const MUTED = '#4b4b4b';
const LINE = '#8a8a8a';
const SERIES = [GREEN, GREEN_DARK];

/** What a bar shows: a count (possibly hidden), or a ratio/median (null: hidden; 'incomplete'/'elsewhere': none yet). */
export type BarValue = Shown | number | null | 'incomplete' | 'elsewhere';

export interface Series {
  name: string;
  values: BarValue[];
}

const WIDTH = 640;
const HEIGHT = 280;
const LEFT = 44;
const RIGHT = 8;
const TOP = 28;
const BOTTOM = 44;

function niceMax(max: number): number {
  if (max <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function known(v: BarValue): number | null {
  if (v === null || typeof v === 'string') return null;
  if (typeof v === 'number') return v;
  return v.shown ? v.value : null;
}

export function BarChart({
  id,
  title,
  description,
  labels,
  series,
  percent = false,
}: {
  /** Unique on the page: the ids of the title, the description and the hatching. */
  id: string;
  title: string;
  description: string;
  /** One per bar group (month). */
  labels: string[];
  series: Series[];
  /** Values are shares 0–1, drawn as 0–100%. */
  percent?: boolean;
}) {
  const values = series.flatMap((s) => s.values.map(known)).filter((v): v is number => v !== null);
  const max = percent ? 1 : niceMax(Math.max(5, ...values));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const groupW = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, series.length));
  const y = (v: number) => TOP + plotH - (Math.min(v, max) / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const tick = (v: number) => (percent ? `${Math.round(v * 100)}%` : String(Math.round(v)));
  // Show every label when there is room, else every second/third.
  const every = Math.ceil(labels.length / 12);
  const hatch = `${id}-verborgen`;
  return (
    <figure class="betrokken-chart">
      <svg
        role="img"
        aria-labelledby={`${id}-titel ${id}-beschrijving`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        preserveAspectRatio="xMidYMid meet"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${id}-titel`}>{title}</title>
        <desc id={`${id}-beschrijving`}>{description}</desc>
        <defs>
          <pattern id={hatch} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#fff" />
            <line x1="0" y1="0" x2="0" y2="6" stroke={MUTED} stroke-width="2" />
          </pattern>
        </defs>
        {ticks.map((v) => (
          <g>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(v)} y2={y(v)} stroke={LINE} stroke-width={v === 0 ? 1.5 : 0.5} />
            <text x={LEFT - 6} y={y(v) + 4} text-anchor="end" font-size="12" fill={INK}>
              {tick(v)}
            </text>
          </g>
        ))}
        {labels.map((label, g) => {
          const x0 = LEFT + g * groupW + groupW * 0.1;
          return (
            <g>
              {series.map((s, k) => {
                const v = s.values[g] ?? null;
                const x = x0 + k * barW;
                const value = known(v);
                if (value !== null) {
                  return <rect x={x} y={y(value)} width={barW - 1} height={TOP + plotH - y(value)} fill={SERIES[k % SERIES.length]} />;
                }
                const small = v !== null && typeof v === 'object' && !v.shown && v.reason === 'small';
                const none =
                  typeof v === 'string' || (v !== null && typeof v === 'object' && !v.shown && (v.reason === 'incomplete' || v.reason === 'elsewhere'));
                if (none) {
                  return (
                    <text x={x + (barW - 1) / 2} y={TOP + plotH - 4} text-anchor="middle" font-size="11" fill={INK}>
                      –
                    </text>
                  );
                }
                return small ? (
                  <rect x={x} y={y(5)} width={barW - 1} height={TOP + plotH - y(5)} fill={`url(#${hatch})`} stroke={SERIES[k % SERIES.length]} />
                ) : (
                  <text x={x + (barW - 1) / 2} y={TOP + plotH - 4} text-anchor="middle" font-size="11" fill={INK}>
                    x
                  </text>
                );
              })}
              {g % every === 0 ? (
                <text x={x0 + (series.length * barW) / 2} y={HEIGHT - BOTTOM + 16} text-anchor="middle" font-size="11" fill={INK}>
                  {label}
                </text>
              ) : null}
            </g>
          );
        })}
        {series.map((s, k) => (
          <g>
            <rect x={LEFT + k * 200} y={6} width="12" height="12" fill={SERIES[k % SERIES.length]} />
            <text x={LEFT + k * 200 + 18} y={16} font-size="12" fill={INK}>
              {s.name}
            </text>
          </g>
        ))}
        <g>
          <rect x={LEFT} y={HEIGHT - 18} width="12" height="12" fill={`url(#${hatch})`} stroke={MUTED} />
          <text x={LEFT + 18} y={HEIGHT - 8} font-size="11" fill={INK}>
            kleiner dan 5 (niet getoond)
          </text>
          <text x={LEFT + 230} y={HEIGHT - 8} font-size="11" fill={INK}>
            x = verborgen
          </text>
        </g>
      </svg>
    </figure>
  );
}
