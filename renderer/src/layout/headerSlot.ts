import { createContext, useContext } from 'react';

/**
 * The shell header's breadcrumb area. `Breadcrumbs` rendered anywhere inside a screen is portalled there, so
 * every screen (the editor included) shows its path in the same place without knowing the shell's layout.
 */
export const HeaderSlotContext = createContext<HTMLElement | null>(null);

export function useHeaderSlot(): HTMLElement | null {
  return useContext(HeaderSlotContext);
}
