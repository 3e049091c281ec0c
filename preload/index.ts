/**
 * Electron preload: exposes the contract as a namespaced object of functions — never
 * ipcRenderer itself, never process or Node (docs/architecture.md, "Security").
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  IPC_CALL,
  IPC_EVENT,
  methods,
  type AktenflussApi,
  type Envelope,
  type EventName,
  type Events,
} from './contract/index'

const api: Record<string, Record<string, unknown>> = {}
for (const method of methods) {
  const [ns, leaf] = method.split('.') as [string, string]
  api[ns] ??= {}
  api[ns][leaf] = (input: unknown) =>
    ipcRenderer.invoke(IPC_CALL, method, input) as Promise<Envelope<unknown>>
}
api.events = {
  subscribe: <E extends EventName>(name: E, listener: (payload: Events[E]) => void) => {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => {
      if (event === name) listener(payload as Events[E])
    }
    ipcRenderer.on(IPC_EVENT, handler)
    return () => {
      ipcRenderer.off(IPC_EVENT, handler)
    }
  },
}

const exposed = api as unknown as AktenflussApi satisfies AktenflussApi
contextBridge.exposeInMainWorld('aktenfluss', exposed)
