import type {
  AktenflussApi,
  Envelope,
  EventName,
  Events,
  Input,
  Method,
  Result,
} from '../../../preload/contract/index'
import { methods } from '../../../preload/contract/index'

declare global {
  interface Window {
    /** Exposed by the Electron preload; in browser mode built below over fetch + SSE. */
    aktenfluss?: AktenflussApi
  }
}

/**
 * Whether the local Aktenfluss service answers (browser mode: the loopback bridge). A failed
 * call or a dropped event stream marks it unreachable; the next answer marks it reachable.
 * The status bar shows it, so a dead bridge never looks like green „Online“.
 */
let localReachable = true
const localListeners = new Set<() => void>()
function setLocal(up: boolean): void {
  if (up === localReachable) return
  localReachable = up
  for (const l of localListeners) l()
}
export const localService = {
  reachable: (): boolean => localReachable,
  subscribe: (cb: () => void): (() => void) => {
    localListeners.add(cb)
    return () => localListeners.delete(cb)
  },
}

const httpMessage = (status: number): string =>
  status === 401 || status === 403
    ? 'Die Sitzung ist abgelaufen oder ungültig. Bitte Aktenfluss neu öffnen.'
    : status >= 500
      ? `Der Aktenfluss-Dienst meldet einen Fehler (HTTP ${status}). Bitte erneut versuchen.`
      : `Der Aktenfluss-Dienst hat die Anfrage nicht angenommen (HTTP ${status}).`

async function httpCall(method: Method, input: unknown): Promise<Envelope<unknown>> {
  let res: Response
  try {
    // relative: the bridge serves the app and its API under a per-launch path (the cookie's Path)
    res = await fetch(`api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    })
  } catch {
    setLocal(false)
    return {
      ok: false,
      error: { code: 'offline', message: 'Verbindung zum Aktenfluss-Dienst unterbrochen.' },
    }
  }
  const body = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string }
  } | null
  // a proxy or a dying process may answer 502/503/504 without an envelope: not our service
  setLocal(!(body === null && res.status >= 502))
  if (res.ok) return { ok: true, value: body }
  return {
    ok: false,
    error: body?.error ?? { code: `http_${res.status}`, message: httpMessage(res.status) },
  }
}

let source: EventSource | null = null
function browserSubscribe<E extends EventName>(
  name: E,
  listener: (p: Events[E]) => void,
): () => void {
  if (!source) {
    source = new EventSource('api/events', { withCredentials: true })
    source.addEventListener('open', () => setLocal(true))
    // EventSource reconnects by itself; until it has, the service counts as unreachable
    source.addEventListener('error', () => setLocal(false))
  }
  const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data) as Events[E])
  source.addEventListener(name, handler as EventListener)
  return () => source?.removeEventListener(name, handler as EventListener)
}

/** Browser mode's implementation of the same namespaced API the preload exposes. */
function browserApi(): AktenflussApi {
  const api: Record<string, Record<string, unknown>> = {}
  for (const m of methods) {
    const [ns, leaf] = m.split('.') as [string, string]
    api[ns] ??= {}
    api[ns][leaf] = (input: unknown) => httpCall(m, input)
  }
  api.events = { subscribe: browserSubscribe }
  return api as unknown as AktenflussApi
}

export const aktenfluss: AktenflussApi = window.aktenfluss ?? browserApi()

/** One call by method name, typed by the contract. */
export function call<M extends Method>(method: M, input: Input<M>): Promise<Envelope<Result<M>>> {
  const [ns, leaf] = method.split('.') as [string, string]
  const fn = (
    aktenfluss as unknown as Record<
      string,
      Record<string, (i: unknown) => Promise<Envelope<Result<M>>>>
    >
  )[ns]?.[leaf]
  if (!fn)
    return Promise.resolve({
      ok: false,
      error: { code: 'unknown_method', message: `Unbekannte Funktion ${method}` },
    })
  return fn(input)
}
