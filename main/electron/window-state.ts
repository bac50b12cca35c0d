import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The window's size, position and maximised state, remembered across launches in `window-state.json` in the
 * data folder. Everything here is plain logic over rectangles; the shell reads the displays' work areas from
 * Electron's `screen` and passes them in. A saved position that is no longer visible (a monitor unplugged, a
 * resolution changed) is pulled back onto a display, or dropped so the window opens centred.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the window open centred on the primary display. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;
/** How much of the window must overlap a display for its saved position to count as visible. */
const MIN_VISIBLE = { width: 160, height: 80 };

export function windowStateFile(dataDir: string): string {
  return join(dataDir, 'window-state.json');
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** A saved state, if `raw` is one: anything else (a hand-edited or truncated file) is ignored, not fatal. */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isInt(r.width) || !isInt(r.height) || r.width <= 0 || r.height <= 0) return null;
  const state: WindowState = {
    width: Math.round(r.width),
    height: Math.round(r.height),
    maximized: r.maximized === true,
  };
  if (isInt(r.x) && isInt(r.y)) {
    state.x = Math.round(r.x);
    state.y = Math.round(r.y);
  }
  return state;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Fit a state to the displays: the size between the minimum and the largest work area; a position kept only
 * if enough of the window shows on some display, and then moved so the whole window is on that display.
 * No displays (should not happen): the state's size, centred.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return { width: state.width, height: state.height, maximized: state.maximized };
  const maxWidth = Math.max(...workAreas.map((a) => a.width));
  const maxHeight = Math.max(...workAreas.map((a) => a.height));
  const width = Math.max(Math.min(state.width, maxWidth), Math.min(MIN_WIDTH, maxWidth));
  const height = Math.max(Math.min(state.height, maxHeight), Math.min(MIN_HEIGHT, maxHeight));
  const out: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return out;

  const rect = { x: state.x, y: state.y, width, height };
  let best: { area: Rect; visible: number } | null = null;
  for (const area of workAreas) {
    const o = overlap(rect, area);
    if (o.width < Math.min(MIN_VISIBLE.width, width) || o.height < Math.min(MIN_VISIBLE.height, height)) continue;
    if (!best || o.width * o.height > best.visible) best = { area, visible: o.width * o.height };
  }
  if (!best) return out;
  const { area } = best;
  out.width = Math.min(width, area.width);
  out.height = Math.min(height, area.height);
  out.x = Math.min(Math.max(state.x, area.x), area.x + area.width - out.width);
  out.y = Math.min(Math.max(state.y, area.y), area.y + area.height - out.height);
  return out;
}

/** The remembered state fitted to today's displays; the default when there is none or it is unreadable. */
export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let saved: WindowState | null = null;
  try {
    saved = parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    saved = null;
  }
  return clampToDisplays(saved ?? DEFAULT_WINDOW_STATE, workAreas);
}

/** Write through a temporary file and a rename, so a crash mid-write never leaves a torn file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, file);
}
