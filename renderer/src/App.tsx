import { useCallback, useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { useGlobalCommands } from './commands/useGlobalCommands';
import { NewProjectDialog } from './components/NewProjectDialog';
import { SetEditorScreen } from './editor/SetEditorScreen';
import { AppShell } from './layout/AppShell';
import { Page } from './layout/Page';
import { CommandPalette } from './palette/CommandPalette';
import { useHashRoute } from './routing/hashLocation';
import { useSyncCommands } from './sync/useSyncCommands';
import { useSyncNotices } from './sync/useSyncNotices';
import { AccountScreen } from './screens/AccountScreen';
import { DashboardScreen } from './screens/DashboardScreen';
import { HelpScreen } from './screens/HelpScreen';
import { ProjectScreen } from './screens/ProjectScreen';
import { ProjectsScreen } from './screens/ProjectsScreen';
import { SearchScreen } from './screens/SearchScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { TrashScreen } from './screens/TrashScreen';
import { CompareScreen } from './versions/CompareScreen';
import { HistoryScreen } from './versions/HistoryScreen';
import { ReviewQueueScreen } from './registry/ReviewQueueScreen';
import { ReviewScreen } from './registry/ReviewScreen';
import { useRegistry } from './registry/useRegistry';
import { AnalyticsScreen } from './usage/AnalyticsScreen';
import { ExperimentsScreen } from './experiments/ExperimentsScreen';
import { useUsageCommands } from './usage/useUsageCommands';

/**
 * Hash routes: the desktop app loads index.html from its own protocol, so the path part of the URL cannot
 * carry the route; the browser mode uses the same scheme so links and tests are identical in both. The query
 * of a route is inside the hash too (`#/search?q=`), see routing/hashLocation.ts.
 */
export function App() {
  return (
    <Router hook={useHashRoute} searchHook={useHashRoute.searchHook}>
      <Studio />
    </Router>
  );
}

function Studio() {
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [newProjectOpen, setNewProjectOpen] = useState(false);
  const togglePalette = useCallback(() => setPaletteOpen((open) => !open), []);
  const newProject = useCallback(() => {
    setPaletteOpen(false);
    setNewProjectOpen(true);
  }, []);
  useGlobalCommands({ togglePalette, newProject });
  useSyncCommands();
  useSyncNotices();
  useRegistry();
  useUsageCommands();

  return (
    <AppShell>
      <Switch>
        <Route path="/">
          <DashboardScreen />
        </Route>
        <Route path="/projects">
          <ProjectsScreen />
        </Route>
        <Route path="/projects/:id">{(p) => <ProjectScreen key={p.id} projectId={p.id} />}</Route>
        <Route path="/sets/:setId">{(p) => <SetEditorScreen key={p.setId} setId={p.setId} />}</Route>
        {/* Before `/sets/:setId/:promptId`, which would otherwise take "history", "compare" and "experiments" for prompt ids. */}
        <Route path="/sets/:setId/history">{(p) => <HistoryScreen key={p.setId} setId={p.setId} />}</Route>
        <Route path="/sets/:setId/compare">{(p) => <CompareScreen key={p.setId} setId={p.setId} />}</Route>
        <Route path="/sets/:setId/experiments">{(p) => <ExperimentsScreen key={p.setId} setId={p.setId} />}</Route>
        <Route path="/sets/:setId/:promptId">
          {(p) => <SetEditorScreen key={p.setId} setId={p.setId} promptId={p.promptId} />}
        </Route>
        <Route path="/reviews">
          <ReviewQueueScreen />
        </Route>
        <Route path="/reviews/:id">{(p) => <ReviewScreen key={p.id} id={decodeURIComponent(p.id)} />}</Route>
        <Route path="/analytics">
          <AnalyticsScreen />
        </Route>
        <Route path="/search">
          <SearchScreen />
        </Route>
        <Route path="/trash">
          <TrashScreen />
        </Route>
        <Route path="/settings">
          <SettingsScreen />
        </Route>
        <Route path="/account">
          <AccountScreen />
        </Route>
        <Route path="/help">
          <HelpScreen />
        </Route>
        <Route>
          <Page title="Nothing here" crumbs={[{ label: 'Not found' }]}>
            <p>This address does not lead to a screen of the studio.</p>
            <Link href="/">Go to the dashboard</Link>
          </Page>
        </Route>
      </Switch>
      <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} />
      <NewProjectDialog open={newProjectOpen} onOpenChange={setNewProjectOpen} />
    </AppShell>
  );
}
