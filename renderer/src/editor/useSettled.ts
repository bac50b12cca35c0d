import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `ms`: problems are marked when typing pauses, not on every key.
 * When `resetKey` changes (another prompt) the new value shows at once: stale problems of the previous
 * prompt must never be drawn on this one.
 */
export function useSettled<T>(value: T, ms: number, resetKey: string): T {
  const [settled, setSettled] = useState<{ key: string; value: T }>({ key: resetKey, value });
  useEffect(() => {
    if (settled.key !== resetKey) {
      setSettled({ key: resetKey, value });
      return;
    }
    if (settled.value === value) return;
    const timer = setTimeout(() => setSettled({ key: resetKey, value }), ms);
    return () => clearTimeout(timer);
  }, [value, ms, resetKey, settled]);
  return settled.key === resetKey ? settled.value : value;
}
