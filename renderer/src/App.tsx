import { lazy, Suspense, useEffect } from 'react'
import { useApiQuery } from './api/api'
import { Nav, navFor } from './components/Nav'
import { StatusBar } from './components/StatusBar'
import { UserMenu } from './session/UserMenu'
import { Shortcuts } from './components/Shortcuts'
import { href, navigate, useRoute } from './router'
import { CaseList } from './screens/CaseList'
import { CaseView } from './screens/CaseView'
import { IntakeLog } from './screens/IntakeLog'
import { SearchScreen } from './screens/SearchScreen'
import { ArchiveScreen } from './screens/ArchiveScreen'
import { SyncScreen } from './screens/SyncScreen'
import { NewCaseScreen } from './screens/NewCaseScreen'
import { CosignInbox } from './screens/CosignInbox'
import { PostOutbox } from './screens/PostOutbox'

// Chart.js comes with the team screen only.
const TeamScreen = lazy(() =>
  import('./screens/TeamScreen').then((m) => ({ default: m.TeamScreen })),
)

export function App() {
  const route = useRoute()
  const { data: info } = useApiQuery('app.info', {})
  // a list the role does not work with (the Registratur has no Posteingang) opens its first list instead
  const views = info ? navFor[info.user.role].views : null
  const misplaced = route.name === 'list' && views !== null && !views.includes(route.view)
  const firstView = views?.[0]
  useEffect(() => {
    if (misplaced && firstView) navigate(href.list(firstView))
  }, [misplaced, firstView])
  return (
    <div className="app">
      <a className="skip" href="#main">
        Zum Inhalt springen
      </a>
      <header className="topbar">
        <span className="brand">Aktenfluss</span>
        <span className="muted">
          E-Akte · {info?.mode === 'electron' ? 'Desktop' : 'Browsermodus'}
        </span>
        <span className="user">
          <UserMenu />
        </span>
      </header>
      <Nav route={route} />
      <main id="main" tabIndex={-1}>
        {route.name === 'list' && (
          <CaseList key={window.location.hash} view={route.view} filter={route.filter} />
        )}
        {route.name === 'case' && <CaseView id={route.id} tab={route.tab} />}
        {route.name === 'search' && <SearchScreen key={route.q} q={route.q} />}
        {route.name === 'intake' && <IntakeLog />}
        {route.name === 'team' && (
          <Suspense fallback={<p>Teamübersicht wird geladen …</p>}>
            <TeamScreen />
          </Suspense>
        )}
        {route.name === 'archive' && <ArchiveScreen />}
        {route.name === 'sync' && <SyncScreen />}
        {route.name === 'new' && <NewCaseScreen />}
        {route.name === 'cosign' && <CosignInbox />}
        {route.name === 'post' && <PostOutbox />}
      </main>
      <StatusBar />
      <Shortcuts />
    </div>
  )
}
