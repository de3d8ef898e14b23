import type { ProgressUpdate } from '../sources/patient-source';

/** A one-line progress bar redrawn in place on a terminal. */
export interface ProgressBar {
  update(update: ProgressUpdate): void;
  /** Erases the bar (before a message, and at the end). */
  clear(): void;
}

const WIDTH = 24;
const REDRAW_MS = 100;

function amount(n: number, unit: ProgressUpdate['unit']): string {
  if (unit === 'patients') return String(n);
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GiB`;
  return `${Math.round(n / (1 << 20))} MiB`;
}

/**
 * A progress bar on stderr, or nothing when stderr is not a terminal (a log file or CI must not
 * fill with carriage returns). Redraws at most ten times a second; shows the phase, the share
 * done, and patients per second while screening. Never shows patient data.
 */
export function createProgressBar(
  write: (text: string) => void,
  enabled: boolean,
  clock: () => number,
): ProgressBar {
  if (!enabled) return { update: () => undefined, clear: () => undefined };
  let shown = false;
  let lastDraw = -Infinity;
  let phase = '';
  let phaseStart = 0;
  return {
    update(u) {
      const t = clock();
      if (u.phase !== phase) {
        phase = u.phase;
        phaseStart = t;
      } else if (t - lastDraw < REDRAW_MS) {
        return;
      }
      lastDraw = t;
      const share = u.total ? Math.min(1, u.done / u.total) : undefined;
      const bar =
        share === undefined
          ? ''
          : `[${'#'.repeat(Math.round(share * WIDTH)).padEnd(WIDTH, '.')}] ${Math.floor(share * 100)}% `;
      const of = u.total ? ` of ${amount(u.total, u.unit)}` : '';
      const seconds = (t - phaseStart) / 1000;
      const rate =
        u.unit === 'patients' && seconds > 1 ? `, ${(u.done / seconds).toFixed(1)}/s` : '';
      write(
        `\r\x1b[2K${u.phase} ${bar}${amount(u.done, u.unit)}${of}${u.unit === 'patients' ? ' patients' : ''}${rate}`,
      );
      shown = true;
    },
    clear() {
      if (!shown) return;
      write('\r\x1b[2K');
      shown = false;
    },
  };
}
