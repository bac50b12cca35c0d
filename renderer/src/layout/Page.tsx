import type { ReactNode } from 'react';
import type { Crumb } from './Breadcrumbs';
import { Breadcrumbs } from './Breadcrumbs';
import './page.css';

/**
 * A screen's frame: breadcrumbs (shown in the shell header), the title row with the screen's actions, and the
 * body. `fill` makes the body a flex column that ends at the window's bottom, for virtualised lists.
 */
export function Page(props: {
  title: ReactNode;
  crumbs: Crumb[];
  actions?: ReactNode;
  subtitle?: ReactNode;
  fill?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={props.fill ? 'page page-fill' : 'page'}>
      <Breadcrumbs items={props.crumbs} />
      <div className="page-head">
        <div className="page-title">
          <h1>{props.title}</h1>
          {props.subtitle && <div className="muted page-subtitle">{props.subtitle}</div>}
        </div>
        {props.actions && <div className="page-actions">{props.actions}</div>}
      </div>
      {props.children}
    </div>
  );
}

/** What a screen shows while its first data loads, or when it failed: always with words, never a blank. */
export function LoadState({ loading, error, what }: { loading: boolean; error: Error | null; what: string }) {
  if (error)
    return (
      <p role="alert" className="load-error">
        Could not load {what}: {error.message}
      </p>
    );
  if (loading)
    return (
      <p role="status" className="muted load-status">
        <span className="spinner" aria-hidden="true" /> Loading {what}…
      </p>
    );
  return null;
}
