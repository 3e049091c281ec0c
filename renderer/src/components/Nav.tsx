import { caseViews } from '../../../preload/contract'
import { useApiMutation, useApiQuery } from '../api/api'
import { viewLabel } from '../labels'
import { href, type Route } from '../router'

export function Nav({ route }: { route: Route }) {
  const { data: counts } = useApiQuery('cases.counts', {})
  const { data: views } = useApiQuery('views.list', {})
  const [remove] = useApiMutation('views.delete')
  const { data: info } = useApiQuery('app.info', {})
  const lead = info?.user.role === 'lead'
  const { data: inbox } = useApiQuery('decisions.cosignInbox', {}, { skip: !lead })
  const { data: post } = useApiQuery('notices.postOutbox', {})
  return (
    <nav aria-label="Hauptnavigation" className="nav">
      <ul>
        {caseViews.map((v) => (
          <li key={v}>
            <a href={href.list(v)} aria-current={route.name === 'list' && route.view === v ? 'page' : undefined}>
              <span>{viewLabel[v]}</span>
              {counts && <span className="count" aria-label={`${counts[v]} Vorgänge`}>{counts[v].toLocaleString('de-DE')}</span>}
            </a>
          </li>
        ))}
        {views && views.views.length > 0 && (
          <>
            <li className="sep" aria-hidden="true" />
            <li className="nav-heading" id="saved-views">
              Gespeicherte Ansichten
            </li>
            {views.views.map((v) => (
              <li key={v.id} className="saved-view">
                <a href={href.list(v.view, { ...(v.procedureId ? { procedureId: v.procedureId } : {}), ...(v.status ? { status: v.status } : {}), sort: v.sort, dir: v.direction })}>
                  {v.name}
                </a>
                <button type="button" className="link small" aria-label={`Ansicht ${v.name} löschen`} onClick={() => void remove({ id: v.id })}>
                  ×
                </button>
              </li>
            ))}
          </>
        )}
        <li className="sep" aria-hidden="true" />
        {lead && (
          <li>
            <a href={href.cosign()} aria-current={route.name === 'cosign' ? 'page' : undefined}>
              <span>Mitzeichnung</span>
              {inbox && (
                <span className="count" aria-label={`${inbox.rows.length} warten auf Mitzeichnung`} data-testid="cosign-count">
                  {inbox.rows.length.toLocaleString('de-DE')}
                </span>
              )}
            </a>
          </li>
        )}
        <li>
          <a href={href.post()} aria-current={route.name === 'post' ? 'page' : undefined}>
            <span>Postausgang</span>
            {post && post.rows.length > 0 && (
              <span className="count" aria-label={`${post.rows.length} Bescheide zur Post`}>
                {post.rows.length.toLocaleString('de-DE')}
              </span>
            )}
          </a>
        </li>
        <li className="sep" aria-hidden="true" />
        <li>
          <a href={href.newCase()} aria-current={route.name === 'new' ? 'page' : undefined}>
            Antrag erfassen
          </a>
        </li>
        <li>
          <a href={href.search('')} aria-current={route.name === 'search' ? 'page' : undefined}>Suche</a>
        </li>
        <li>
          <a href={href.team()} aria-current={route.name === 'team' ? 'page' : undefined}>Team</a>
        </li>
        <li>
          <a href={href.archive()} aria-current={route.name === 'archive' ? 'page' : undefined}>
            Aussonderung
          </a>
        </li>
        <li>
          <a href={href.sync()} aria-current={route.name === 'sync' ? 'page' : undefined}>
            Synchronisation
          </a>
        </li>
        <li>
          <a href={href.intake()} aria-current={route.name === 'intake' ? 'page' : undefined}>Eingangsprotokoll</a>
        </li>
      </ul>
    </nav>
  )
}
