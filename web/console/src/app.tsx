import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { isPublicPath } from './api';
import { PublicShell, Shell } from './shell';
import { ErrorState, Skeleton, ToastProvider } from './ui';
import { currentSiteId, useViewer, ViewerProvider } from './viewer';

// Every page is its own lazy chunk (first load stays small). One folder per page.
const SignIn = lazy(() => import('./pages/signin'));
const Setup = lazy(() => import('./pages/setup'));
const Invite = lazy(() => import('./pages/invite'));
const Account = lazy(() => import('./pages/account'));
const Sites = lazy(() => import('./pages/sites'));
const SiteSettings = lazy(() => import('./pages/sites/settings'));
const Surveys = lazy(() => import('./pages/surveys'));
const SurveyBuilder = lazy(() => import('./pages/surveys/builder'));
const Results = lazy(() => import('./pages/results'));
const Recordings = lazy(() => import('./pages/recordings'));
const Player = lazy(() => import('./pages/player'));
const Heatmaps = lazy(() => import('./pages/heatmaps'));
const Users = lazy(() => import('./pages/users'));
const UserDetail = lazy(() => import('./pages/users/detail'));
const Segments = lazy(() => import('./pages/segments'));
const SegmentEditor = lazy(() => import('./pages/segments/editor'));
const Privacy = lazy(() => import('./pages/privacy'));
const ApiKeys = lazy(() => import('./pages/apikeys'));
const Team = lazy(() => import('./pages/team'));
const NotFound = lazy(() => import('./pages/notfound'));

/** `/` and `/segments`: to the sites list, or the current site's segments. */
function Redirect({ to }: { to: 'home' | 'segments' }) {
  const { route, path } = useLocation();
  const { sites } = useViewer();
  useEffect(() => {
    const site = currentSiteId(path, sites);
    if (to === 'segments' && site) route(`/sites/${encodeURIComponent(site)}/segments`, true);
    else route('/sites', true);
  }, [to]);
  return null;
}

function Console() {
  return (
    <ViewerProvider
      loading={<Skeleton rows={6} label="Loading the console…" />}
      failed={(error, retry) => (
        <PublicShell>
          <ErrorState error={error} retry={retry} title="The console could not start" />
        </PublicShell>
      )}
    >
      <Shell>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={() => <Redirect to="home" />} />
            <Route path="/account" component={Account} />
            <Route path="/sites" component={Sites} />
            <Route path="/sites/:siteId" component={SiteSettings} />
            <Route path="/sites/:siteId/surveys" component={Surveys} />
            <Route path="/sites/:siteId/surveys/new" component={SurveyBuilder} />
            <Route path="/sites/:siteId/surveys/:surveyId/edit" component={SurveyBuilder} />
            <Route path="/sites/:siteId/surveys/:surveyId/results" component={Results} />
            <Route path="/sites/:siteId/recordings" component={Recordings} />
            <Route path="/sites/:siteId/recordings/:recordingId" component={Player} />
            <Route path="/sites/:siteId/heatmaps" component={Heatmaps} />
            <Route path="/sites/:siteId/users" component={Users} />
            <Route path="/sites/:siteId/users/:userId" component={UserDetail} />
            <Route path="/sites/:siteId/segments" component={Segments} />
            <Route path="/sites/:siteId/segments/new" component={SegmentEditor} />
            <Route path="/sites/:siteId/segments/:segmentId" component={SegmentEditor} />
            <Route path="/segments" component={() => <Redirect to="segments" />} />
            <Route path="/privacy" component={Privacy} />
            <Route path="/api-keys" component={ApiKeys} />
            <Route path="/team" component={Team} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </Shell>
    </ViewerProvider>
  );
}

function Public() {
  return (
    <PublicShell>
      <ErrorBoundary>
        <Router>
          <Route path="/signin" component={SignIn} />
          <Route path="/setup" component={Setup} />
          <Route path="/invite/:token" component={Invite} />
        </Router>
      </ErrorBoundary>
    </PublicShell>
  );
}

function Routes() {
  const { path } = useLocation();
  return isPublicPath(path) ? <Public /> : <Console />;
}

export function App() {
  return (
    <LocationProvider>
      <ToastProvider>
        <Routes />
      </ToastProvider>
    </LocationProvider>
  );
}
