import { caseViews } from '../../../preload/contract'
import { useApiMutation, useApiQuery } from '../api/api'
import { countLabel, viewLabel } from '../labels'
import { href, type Route } from '../router'
import type { CaseView, Role } from '../../../preload/contract/index'

type Entry =
  'views' | 'cosign' | 'post' | 'newCase' | 'search' | 'team' | 'archive' | 'sync' | 'intake'
/**
 * What each role works with: the clerk with cases and letters, the lead also with the team and
 * co-signing, the Registratur with closed cases and the Aussonderung, read-only users with search.
 */
export const navFor: Record<Role, { views: readonly CaseView[]; entries: Entry[] }> = {
  clerk: {
    views: ['posteingang', 'meine', 'wiedervorlage', 'ueberfaellig', 'vertretung', 'alle'],
    entries: ['post', 'newCase', 'search', 'sync', 'intake'],
  },
  lead: {
    views: ['posteingang', 'meine', 'wiedervorlage', 'ueberfaellig', 'vertretung', 'alle'],
    entries: ['cosign', 'post', 'newCase', 'search', 'team', 'sync', 'intake'],
  },
  records: { views: ['alle'], entries: ['archive', 'search', 'sync', 'intake'] },
  readonly: { views: ['alle'], entries: ['search'] },
}

export function Nav({ route }: { route: Route }) {
  const { data: counts } = useApiQuery('cases.counts', {})
  const { data: views } = useApiQuery('views.list', {})
  const [remove] = useApiMutation('views.delete')
  const { data: info } = useApiQuery('app.info', {})
  const lead = info?.user.role === 'lead'
  const fit = navFor[info?.user.role ?? 'readonly']
  const has = (e: Entry) => fit.entries.includes(e)
  const { data: inbox } = useApiQuery('decisions.cosignInbox', {}, { skip: !lead })
  const { data: post } = useApiQuery('notices.postOutbox', {}, { skip: !info || !has('post') })
  return (
    <nav aria-label="Hauptnavigation" className="nav">
      <ul>
        {caseViews
          .filter((v) => fit.views.includes(v))
          .map((v) => (
            <li key={v}>
              <a
                href={href.list(v)}
                aria-current={route.name === 'list' && route.view === v ? 'page' : undefined}
              >
                <span>{viewLabel[v]}</span>
                {counts && (
                  <span className="count" aria-label={countLabel(counts[v], 'Vorgang', 'Vorgänge')}>
                    {counts[v].toLocaleString('de-DE')}
                  </span>
                )}
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
                <a
                  href={href.list(v.view, {
                    ...(v.procedureId ? { procedureId: v.procedureId } : {}),
                    ...(v.status ? { status: v.status } : {}),
                    sort: v.sort,
                    dir: v.direction,
                  })}
                >
                  {v.name}
                </a>
                <button
                  type="button"
                  className="link small"
                  aria-label={`Ansicht ${v.name} löschen`}
                  onClick={() => void remove({ id: v.id })}
                >
                  ×
                </button>
              </li>
            ))}
          </>
        )}
        {(has('post') || (lead && has('cosign'))) && <li className="sep" aria-hidden="true" />}
        {lead && has('cosign') && (
          <li>
            <a href={href.cosign()} aria-current={route.name === 'cosign' ? 'page' : undefined}>
              <span>Mitzeichnung</span>
              {inbox && (
                <span
                  className="count"
                  aria-label={`${inbox.rows.length} warten auf Mitzeichnung`}
                  data-testid="cosign-count"
                >
                  {inbox.rows.length.toLocaleString('de-DE')}
                </span>
              )}
            </a>
          </li>
        )}
        {has('post') && (
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
        )}
        <li className="sep" aria-hidden="true" />
        {has('newCase') && (
          <li>
            <a href={href.newCase()} aria-current={route.name === 'new' ? 'page' : undefined}>
              Antrag erfassen
            </a>
          </li>
        )}
        {has('archive') && (
          <li>
            <a href={href.archive()} aria-current={route.name === 'archive' ? 'page' : undefined}>
              Aussonderung
            </a>
          </li>
        )}
        <li>
          <a href={href.search('')} aria-current={route.name === 'search' ? 'page' : undefined}>
            Suche
          </a>
        </li>
        {has('team') && (
          <li>
            <a href={href.team()} aria-current={route.name === 'team' ? 'page' : undefined}>
              Team
            </a>
          </li>
        )}
        {has('sync') && (
          <li>
            <a href={href.sync()} aria-current={route.name === 'sync' ? 'page' : undefined}>
              Synchronisation
            </a>
          </li>
        )}
        {has('intake') && (
          <li>
            <a href={href.intake()} aria-current={route.name === 'intake' ? 'page' : undefined}>
              Eingangsprotokoll
            </a>
          </li>
        )}
      </ul>
    </nav>
  )
}
