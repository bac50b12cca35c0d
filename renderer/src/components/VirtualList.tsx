import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReactNode } from 'react';
import { useRef } from 'react';
import './virtual-list.css';

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Fixed row height in px (rows are dense and uniform, so no measuring). */
  rowHeight: number;
  getKey(item: T): string;
  renderRow(item: T, index: number): ReactNode;
  /** The list's accessible name. */
  label: string;
  className?: string;
}

/**
 * A list that renders only the rows in view (plus a few), so 10,000 rows cost as much as 30. It scrolls
 * itself: give it a bounded height (the screens make it fill the remaining space).
 */
export function VirtualList<T>({ items, rowHeight, getKey, renderRow, label, className }: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    getItemKey: (i) => {
      const item = items[i];
      return item === undefined ? i : getKey(item);
    },
  });
  return (
    <div ref={scroller} className={`virtual-list ${className ?? ''}`}>
      <ul aria-label={label} style={{ height: virtualizer.getTotalSize() }} className="virtual-list-inner">
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (item === undefined) return null;
          return (
            <li
              key={row.key}
              className="virtual-row"
              aria-setsize={items.length}
              aria-posinset={row.index + 1}
              style={{ height: rowHeight, transform: `translateY(${row.start}px)` }}
            >
              {renderRow(item, row.index)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
