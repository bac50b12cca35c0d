import { Link } from 'wouter';
import './breadcrumbs.css';

export interface Crumb {
  label: string;
  /** A route ('/projects'); the last crumb (the current screen) usually has none. */
  href?: string;
}

/** Where the user is: a nav named "Breadcrumb", the current screen marked with aria-current. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
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
}
