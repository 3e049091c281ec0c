import { useSyncExternalStore } from 'react'
import { caseViews, type CaseView } from '../../preload/contract/index'

export interface ListFilter {
  assignee?: string
  status?: string
  procedureId?: string
  deadlineFrom?: string
  deadlineTo?: string
  openOnly?: boolean
  sort?: string
  dir?: string
}
export type Route =
  | { name: 'list'; view: CaseView; filter: ListFilter }
  | { name: 'case'; id: string; tab: string }
  | { name: 'search'; q: string }
  | { name: 'intake' }
  | { name: 'team' }
  | { name: 'archive' }
  | { name: 'sync' }
  | { name: 'new' }
  | { name: 'cosign' }
  | { name: 'post' }

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?')
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  const params = new URLSearchParams(query)
  if (parts[0] === 'vorgang' && parts[1])
    return { name: 'case', id: parts[1], tab: parts[2] ?? 'antrag' }
  if (parts[0] === 'suche') return { name: 'search', q: params.get('q') ?? '' }
  if (parts[0] === 'eingangsprotokoll') return { name: 'intake' }
  if (parts[0] === 'team') return { name: 'team' }
  if (parts[0] === 'aussonderung') return { name: 'archive' }
  if (parts[0] === 'synchronisation') return { name: 'sync' }
  if (parts[0] === 'antrag-erfassen') return { name: 'new' }
  if (parts[0] === 'mitzeichnung') return { name: 'cosign' }
  if (parts[0] === 'postausgang') return { name: 'post' }
  const view = (caseViews as readonly string[]).includes(parts[1] ?? '')
    ? (parts[1] as CaseView)
    : 'posteingang'
  const filter: ListFilter = {}
  for (const k of [
    'assignee',
    'status',
    'procedureId',
    'deadlineFrom',
    'deadlineTo',
    'sort',
    'dir',
  ] as const) {
    const v = params.get(k)
    if (v) filter[k] = v
  }
  if (params.get('open') === '1') filter.openOnly = true
  return { name: 'list', view, filter }
}

export const href = {
  list: (view: CaseView, filter: ListFilter = {}) => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries(filter))
      if (v !== undefined && v !== false)
        p.set(k === 'openOnly' ? 'open' : k, v === true ? '1' : String(v))
    const qs = p.toString()
    return `#/liste/${view}${qs ? `?${qs}` : ''}`
  },
  case: (id: string, tab?: string) => `#/vorgang/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`,
  search: (q: string) => `#/suche?q=${encodeURIComponent(q)}`,
  intake: () => '#/eingangsprotokoll',
  team: () => '#/team',
  archive: () => '#/aussonderung',
  sync: () => '#/synchronisation',
  newCase: () => '#/antrag-erfassen',
  cosign: () => '#/mitzeichnung',
  post: () => '#/postausgang',
}

let listFocusPending = false
/** The next list that loads focuses its grid (Alt+1 … Alt+5). */
export const requestListFocus = (): void => {
  listFocusPending = true
}
/** True once after requestListFocus(). */
export const takeListFocusRequest = (): boolean => {
  const pending = listFocusPending
  listFocusPending = false
  return pending
}

export const navigate = (h: string): void => {
  window.location.hash = h
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb)
  return () => window.removeEventListener('hashchange', cb)
}
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash)
  return parseHash(hash)
}
