import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  MIN_HEIGHT,
  MIN_WIDTH,
  clampToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  windowStateFile,
} from './window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor = { x: 1440, y: -200, width: 2560, height: 1400 };
const dir = mkdtempSync(join(tmpdir(), 'anvil-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseWindowState', () => {
  it('keeps a valid state and rounds it', () => {
    expect(parseWindowState({ x: 10.4, y: 20, width: 900.6, height: 700, maximized: true })).toEqual({
      x: 10,
      y: 20,
      width: 901,
      height: 700,
      maximized: true,
    });
  });
  it('drops a position without both coordinates', () => {
    expect(parseWindowState({ x: 10, width: 900, height: 700 })).toEqual({ width: 900, height: 700, maximized: false });
  });
  it.each([null, 'x', [], {}, { width: -1, height: 5 }, { width: 'big', height: 5 }, { width: 1e9, height: 5 }])(
    'refuses %j',
    (raw) => expect(parseWindowState(raw)).toBeNull(),
  );
});

describe('clampToDisplays', () => {
  it('keeps a window that is fully visible', () => {
    const s = { x: 100, y: 50, width: 1000, height: 700, maximized: false };
    expect(clampToDisplays(s, [laptop])).toEqual(s);
  });

  it('keeps a window on a second display with negative coordinates', () => {
    const s = { x: 1500, y: -150, width: 1200, height: 900, maximized: true };
    expect(clampToDisplays(s, [laptop, rightMonitor])).toEqual(s);
  });

  it('drops the position when its display is gone, so the window opens centred', () => {
    const s = { x: 1500, y: -150, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(s, [laptop])).toEqual({ width: 1200, height: 800, maximized: false });
  });

  it('pulls a partly visible window back onto the display it overlaps', () => {
    const s = { x: 1000, y: 600, width: 1000, height: 700, maximized: false };
    expect(clampToDisplays(s, [laptop])).toEqual({ x: 440, y: 175, width: 1000, height: 700, maximized: false });
  });

  it('shrinks a window larger than any display and grows one below the minimum', () => {
    expect(clampToDisplays({ width: 5000, height: 3000, maximized: false }, [laptop])).toEqual({
      width: 1440,
      height: 875,
      maximized: false,
    });
    expect(clampToDisplays({ width: 10, height: 10, maximized: false }, [laptop])).toMatchObject({
      width: MIN_WIDTH,
      height: MIN_HEIGHT,
    });
  });

  it('copes with no displays', () => {
    expect(clampToDisplays({ x: 1, y: 2, width: 900, height: 600, maximized: false }, [])).toEqual({
      width: 900,
      height: 600,
      maximized: false,
    });
  });
});

describe('load and save', () => {
  it('round-trips through window-state.json in the data folder', () => {
    const file = windowStateFile(join(dir, 'data'));
    saveWindowState(file, { x: 30, y: 40, width: 1000, height: 700, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 30, y: 40, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file, [laptop])).toEqual({ x: 30, y: 40, width: 1000, height: 700, maximized: true });
  });

  it('falls back to the default for a missing or damaged file', () => {
    expect(loadWindowState(join(dir, 'missing.json'), [laptop])).toEqual(DEFAULT_WINDOW_STATE);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"width": 10');
    expect(loadWindowState(bad, [laptop])).toEqual(DEFAULT_WINDOW_STATE);
  });
});
