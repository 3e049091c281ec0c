import { contract, type Envelope, type Method, type ParsedInput, type Result } from '../../preload/contract/index'
import type { AppContext } from '../core/context'
import { ApiFailure, toApiError } from '../core/errors'

export type Handler<M extends Method> = (input: ParsedInput<M>, ctx: AppContext) => Result<M> | Promise<Result<M>>
export type Handlers = { [M in Method]: Handler<M> }
/** A feature's slice of the handler table (main/api/<feature>.ts). */
export type HandlerSlice<K extends Method> = { [M in K]: Handler<M> }

export type Dispatch = (method: string, rawInput: unknown) => Promise<Envelope<unknown>>

const isMethod = (m: string): m is Method => Object.prototype.hasOwnProperty.call(contract, m)

/**
 * The single entry for both transports: looks the method up, parses the input with its zod
 * schema (unknown fields are refused) and wraps the outcome as an envelope.
 */
export function createDispatcher(handlers: Handlers, ctx: AppContext, log: (e: unknown, m: string) => void = logError): Dispatch {
  return async (method, rawInput) => {
    if (!isMethod(method)) {
      return { ok: false, error: { code: 'unknown_method', message: `Unbekannte Funktion „${method.slice(0, 60)}“.` } }
    }
    try {
      const input = contract[method].input.parse(rawInput ?? {}) as never
      const handler = handlers[method] as (i: never, c: AppContext) => unknown
      const value = await handler(input, ctx)
      return { ok: true, value }
    } catch (err) {
      if (!(err instanceof ApiFailure) && !(err instanceof Error && err.name === 'ZodError')) log(err, method)
      return { ok: false, error: toApiError(err) }
    }
  }
}

function logError(err: unknown, method: string): void {
  console.error(`[api] ${method} fehlgeschlagen:`, err)
}
