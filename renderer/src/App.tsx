import { Route, Router, Switch } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';

/**
 * Hash routes: the desktop app loads index.html from a file, so the path part of the URL cannot carry the
 * route; the browser mode uses the same scheme so links and tests are identical in both.
 */
export function App() {
  return (
    <Router hook={useHashLocation}>
      <Switch>
        <Route path="/">
          <main>
            <h1>Anvil</h1>
          </main>
        </Route>
      </Switch>
    </Router>
  );
}
