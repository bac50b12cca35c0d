import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { StudioCommandId } from './menu';
import { STUDIO_COMMANDS, menuTemplate } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function build(platform: NodeJS.Platform) {
  const sent: StudioCommandId[] = [];
  const template = menuTemplate({ platform, appName: 'Anvil', onCommand: (c) => sent.push(c) });
  return { template, items: flatten(template), sent };
}

const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('the application menu', () => {
  it.each(['darwin', 'linux', 'win32'] as const)('on %s, every studio command appears once and sends its id', (p) => {
    const { items, sent } = build(p);
    for (const id of Object.keys(STUDIO_COMMANDS) as StudioCommandId[]) {
      const matches = items.filter((i) => i.id === id);
      expect(matches, id).toHaveLength(1);
      click(matches[0] as MenuItemConstructorOptions);
      expect(sent.at(-1)).toBe(id);
    }
    expect(sent).toHaveLength(Object.keys(STUDIO_COMMANDS).length);
  });

  it('has the app menu on macOS only, then File, Edit, View, Window, Help', () => {
    const mac = build('darwin').template;
    expect(mac[0]?.label).toBe('Anvil');
    expect(flatten(mac[0]?.submenu as MenuItemConstructorOptions[]).map((i) => i.role)).toContain('quit');
    const linux = build('linux').template;
    expect(linux.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', 'window', 'help']);
    expect(mac.map((m) => m.label ?? m.role)).toEqual(['Anvil', '&File', '&Edit', '&View', 'window', 'help']);
  });

  it('keeps the usual roles (editing works in text fields and Monaco; quit, reload, zoom, full screen)', () => {
    for (const p of ['darwin', 'linux'] as const) {
      const roles = new Set(
        build(p)
          .items.map((i) => i.role)
          .filter(Boolean),
      );
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'toggleDevTools', 'zoomIn'])
        expect(roles, `${p} ${role}`).toContain(role);
      expect(roles).toContain(p === 'darwin' ? 'close' : 'quit');
    }
  });

  it('gives the shortcuts as accelerators, and no accelerator twice', () => {
    const accelerators = build('linux')
      .items.map((i) => i.accelerator)
      .filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    expect(build('linux').items.find((i) => i.id === 'palette.open')?.accelerator).toBe('CmdOrCtrl+K');
  });
});
