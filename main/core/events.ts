import { EventEmitter } from 'node:events'
import type { EventName, Events } from '../../preload/contract/index'

/** Typed in-process bus; the Electron shell and the browser bridge forward it to the renderer. */
export class AppEvents {
  private readonly emitter = new EventEmitter()
  constructor() {
    this.emitter.setMaxListeners(100)
  }
  emit<E extends EventName>(name: E, payload: Events[E]): void {
    this.emitter.emit(name, payload)
  }
  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    this.emitter.on(name, listener)
    return () => this.emitter.off(name, listener)
  }
  onAny(listener: (name: EventName, payload: Events[EventName]) => void): () => void {
    const offs = (['changed', 'sync.progress', 'sync.status'] as const).map((n) =>
      this.on(n, (p) => listener(n, p)),
    )
    return () => offs.forEach((off) => off())
  }
}
