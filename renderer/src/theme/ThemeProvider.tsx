import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api';
import { notifyError } from '../notices/notices';

/**
 * The theme setting (light, dark, or system: follow the OS) and the theme it resolves to, applied as
 * `document.documentElement.dataset.theme`. The setting lives in the workspace (`settings` key `theme`);
 * localStorage keeps a copy only so the first paint is already in the right colours.
 */
export type ThemeSetting = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

export const THEME_KEY = 'theme';
const CACHE_KEY = 'anvil.theme';

interface ThemeState {
  setting: ThemeSetting;
  resolved: ResolvedTheme;
  setTheme(setting: ThemeSetting): void;
}

const ThemeContext = createContext<ThemeState | null>(null);

function isThemeSetting(v: unknown): v is ThemeSetting {
  return v === 'light' || v === 'dark' || v === 'system';
}

function cached(): ThemeSetting {
  try {
    const v = localStorage.getItem(CACHE_KEY);
    return isThemeSetting(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

function useSystemTheme(): ResolvedTheme {
  const query = useMemo(() => window.matchMedia('(prefers-color-scheme: dark)'), []);
  const [dark, setDark] = useState(query.matches);
  useEffect(() => {
    const onChange = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [query]);
  return dark ? 'dark' : 'light';
}

export function ThemeProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [setting, setSetting] = useState<ThemeSetting>(cached);
  const system = useSystemTheme();
  const resolved: ResolvedTheme = setting === 'system' ? system : setting;
  // A theme chosen before the stored one arrives wins: the late answer must not undo the person's choice.
  const chosen = useRef(false);

  useEffect(() => {
    let live = true;
    api.invoke('settings:get', { key: THEME_KEY }).then(
      (v) => {
        if (live && !chosen.current && isThemeSetting(v)) setSetting(v);
      },
      (err: unknown) => notifyError(err, 'Could not read the theme setting'),
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    document.documentElement.dataset.theme = resolved;
  }, [resolved]);

  const setTheme = useCallback(
    (next: ThemeSetting) => {
      chosen.current = true;
      setSetting(next);
      try {
        localStorage.setItem(CACHE_KEY, next);
      } catch {
        // storage may be unavailable (private mode): the workspace setting is the truth anyway
      }
      api.invoke('settings:set', { key: THEME_KEY, value: next }).catch((err: unknown) => {
        notifyError(err, 'Could not save the theme setting');
      });
    },
    [api],
  );

  const value = useMemo(() => ({ setting, resolved, setTheme }), [setting, resolved, setTheme]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeState {
  const state = useContext(ThemeContext);
  if (!state) throw new Error('useTheme outside ThemeProvider');
  return state;
}
