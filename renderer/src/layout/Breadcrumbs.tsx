import { createPortal } from 'react-dom';
import { Link } from 'wouter';
import { useHeaderSlot } from './headerSlot';
import './breadcrumbs.css';

export interface Crumb {
  label: string;
  /** A route ('/projects'); the last crumb (the current screen) usually has none. */
  href?: string;
}

/**
 * Where the user is: a nav named "Breadcrumb", the current screen marked with aria-current. Inside the app
 * shell it shows in the header (render one per screen); elsewhere it renders in place.
 */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  const slot = useHeaderSlot();
  const nav = (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {items.map((item, i) => {
          const last = i === items.length - 1;
          return (
            <li key={`${i}:${item.label}`}>
              {item.href && !last ? (
                <Link href={item.href}>{item.label}</Link>
              ) : (
                <span aria-current={last ? 'page' : undefined}>{item.label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
  return slot ? createPortal(nav, slot) : nav;
}
