import { useCallback, useState } from 'react';

const KEY = 'anvil.compare.layout';

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'inline';
  } catch {
    return true;
  }
}

/** Side by side (default) or inline diffs, remembered across screens and restarts. */
export function useSideBySide(): [boolean, () => void] {
  const [sideBySide, set] = useState(stored);
  const toggle = useCallback(() => {
    set((was) => {
      try {
        localStorage.setItem(KEY, was ? 'inline' : 'side-by-side');
      } catch {
        // storage unavailable: the choice lasts this session
      }
      return !was;
    });
  }, []);
  return [sideBySide, toggle];
}
