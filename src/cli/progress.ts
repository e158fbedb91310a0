import { formatBytes } from '../core/bytes';
import type { ProgressEvent } from '../core/jobs/progress';

/**
 * Renders engine ProgressEvents for a terminal: one self-redrawing bar line (bytes, objects, rate, current
 * collection) with phase messages and warnings printed above it. Without a TTY it prints phase changes and
 * warnings as plain lines and no bar. Shared by `create` and `restore`.
 */

export interface BarState {
  doneBytes: number;
  totalBytes: number;
  doneObjects: number;
  totalObjects: number;
  collection?: string;
  /** bytes per second, smoothed */
  rate: number;
}

/** The bar line, at most `width` characters. */
export function formatBar(s: BarState, width = 80): string {
  const frac = s.totalBytes > 0 ? Math.min(1, s.doneBytes / s.totalBytes) : s.totalObjects > 0 ? s.doneObjects / s.totalObjects : 0;
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const info =
    ` ${pct} ${formatBytes(s.doneBytes)}/${formatBytes(s.totalBytes)} ${s.doneObjects}/${s.totalObjects} obj` +
    (s.rate > 0 ? ` ${formatBytes(s.rate)}/s` : '') +
    (s.collection ? ` ${s.collection}` : '');
  const barWidth = Math.max(10, Math.min(30, width - info.length - 2));
  const filled = Math.round(frac * barWidth);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${info}`;
  return line.length > width ? line.slice(0, width) : line;
}

/**
 * Whether progress is a redrawn bar or plain lines, and whether the bar may use ANSI escapes. The bar is drawn
 * on stderr, so stderr (not stdout) must be a terminal; `TERM=dumb` terminals cannot redraw a line and get
 * lines; `NO_COLOR` (https://no-color.org: set and not empty) keeps the bar but without escape sequences
 * (it is erased with spaces). `--json` runs print lines only, so stderr stays readable next to the JSON.
 */
export function progressStyle(o: { stderrIsTTY: boolean; env: NodeJS.ProcessEnv; json?: boolean }): { isTTY: boolean; ansi: boolean } {
  const isTTY = o.stderrIsTTY && !o.json && o.env.TERM !== 'dumb';
  return { isTTY, ansi: !o.env.NO_COLOR };
}

export interface ProgressRendererOptions {
  /** draw the self-redrawing bar (see progressStyle) */
  isTTY: boolean;
  /** the bar may use `ESC[2K` to erase its line (false under NO_COLOR: spaces instead); default true */
  ansi?: boolean;
  /** raw write without newline (TTY mode), e.g. process.stderr.write */
  write: (s: string) => void;
  /** one line (non-TTY mode) */
  line: (s: string) => void;
  columns?: number;
  /** minimum ms between redraws */
  intervalMs?: number;
  /** also show `log` events of level info */
  verbose?: boolean;
}

export interface ProgressRenderer {
  onEvent: (e: ProgressEvent) => void;
  /** Clears the bar line (call before printing the result). */
  finish(): void;
}

export function createProgressRenderer(o: ProgressRendererOptions): ProgressRenderer {
  const state: BarState = { doneBytes: 0, totalBytes: 0, doneObjects: 0, totalObjects: 0, rate: 0 };
  let drawn = false;
  let lastDraw = 0;
  let lastBytes = 0;
  let lastRateAt = Date.now();
  const interval = o.intervalMs ?? 100;
  const ansi = o.ansi ?? true;
  /** length of the bar on screen, for erasing it with spaces when escapes are not allowed */
  let shown = 0;
  const erase = () => (ansi ? '\r\x1b[2K' : `\r${' '.repeat(shown)}\r`);
  const clear = () => {
    if (drawn) o.write(erase());
    drawn = false;
    shown = 0;
  };
  const draw = (force = false) => {
    if (!o.isTTY || state.totalObjects === 0) return;
    const now = Date.now();
    if (!force && now - lastDraw < interval) return;
    lastDraw = now;
    const bar = formatBar(state, (o.columns ?? 80) - 1);
    o.write(`${ansi || drawn ? erase() : '\r'}${bar}`);
    shown = bar.length;
    drawn = true;
  };
  const say = (text: string) => {
    if (o.isTTY) {
      clear();
      o.write(`${text}\n`);
      draw(true);
    } else o.line(text);
  };
  return {
    onEvent(e) {
      switch (e.kind) {
        case 'phase':
          say(e.message);
          break;
        case 'warning':
          say(`warning: ${e.message}`);
          break;
        case 'log':
          if (o.verbose && e.level === 'info') say(e.message);
          break;
        case 'collection':
          if (e.state === 'failed') say(`${e.db}.${e.collection}: failed${e.message ? `: ${e.message}` : ''}`);
          else if (!o.isTTY && e.state === 'done') o.line(`${e.db}.${e.collection}: done`);
          break;
        case 'bytes': {
          const now = Date.now();
          if (now - lastRateAt >= 500) {
            const r = ((e.doneBytes - lastBytes) * 1000) / (now - lastRateAt);
            state.rate = state.rate === 0 ? r : state.rate * 0.7 + r * 0.3;
            lastBytes = e.doneBytes;
            lastRateAt = now;
          }
          state.doneBytes = e.doneBytes;
          state.totalBytes = e.totalBytes;
          state.doneObjects = e.doneObjects;
          state.totalObjects = e.totalObjects;
          if (e.collection) state.collection = e.collection;
          draw(e.doneObjects === e.totalObjects);
          break;
        }
      }
    },
    finish: clear,
  };
}
