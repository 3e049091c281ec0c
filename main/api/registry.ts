import {
  contract,
  tagsFor,
  type Envelope,
  type Input,
  type Leaf,
  type Method,
  type MethodsOf,
  type Namespace,
  type ParsedInput,
  type Result,
} from '../../preload/contract/index'
import { ApiFailure, toApiError } from '../core/errors'
import type { AppContext, ReadContext } from '../core/context'
import { authorizeCases } from '../core/caseRights'
import type { CaseAction } from '../core/rights'
import { ZodError } from 'zod'
import { canonicalValue, FORM_LIMITS, InputShapeError } from '../../common/text'

/** any API input: the form data's own limit plus the few levels of the method's input object */
const INPUT_MAX_DEPTH = FORM_LIMITS.maxDepth + 4

export type Handler<M extends Method> = (
  input: ParsedInput<M>,
  ctx: AppContext,
) => Result<M> | Promise<Result<M>>
/**
 * The rights declaration of a method that touches cases (docs/architecture.md, "Rights"): which
 * action, on which cases. The dispatcher checks it before the handler runs and refuses with 403
 * `forbidden` and a German reason; services never repeat the check.
 */
export interface CaseGuard<I> {
  action: CaseAction
  /** the cases the call touches (a bulk call: each is checked, all or nothing) */
  cases: (input: I, ctx: ReadContext) => readonly string[]
  /** `assign`: the new assignee */
  target?: (input: I) => string | null
  /** an outbox entry's own author may settle it (sync.discard, sync.resolveConflict) */
  entryActor?: (input: I, ctx: ReadContext) => string | undefined
}
/** A handler with its rights declaration. */
export interface Guarded<M extends Method> {
  guard: CaseGuard<ParsedInput<M>>
  run: Handler<M>
}
/** `guard: onCase('work')` for the usual input `{ id }`. */
export const onCase = (action: CaseAction): CaseGuard<{ id: string }> => ({
  action,
  cases: (i) => [i.id],
})
/** The handlers of one namespace, keyed by leaf (`take` for `casework.take`). */
export type NamespaceHandlers<N extends Namespace> = {
  [L in Leaf<MethodsOf<N>>]:
    Handler<Extract<`${N}.${L}`, Method>> | Guarded<Extract<`${N}.${L}`, Method>>
}

/** The rights gate: refuses unless the current user may do the declared action on every case. */
export function authorize<I>(ctx: ReadContext, guard: CaseGuard<I>, input: I): void {
  const me = ctx.currentUser()
  if (me.role !== 'readonly' && guard.entryActor?.(input, ctx) === me.userId) return
  authorizeCases(ctx, guard.action, guard.cases(input, ctx), guard.target?.(input))
}
/** The whole table: one entry per namespace, each from its own main/features/<namespace>/handler.ts. */
export type HandlerTable = { [N in Namespace]: NamespaceHandlers<N> }

/**
 * Declares the handler file of one namespace. A method of another namespace, a missing method
 * or a wrong input/result type fails to compile.
 */
export function defineHandlers<N extends Namespace>(
  _namespace: N,
  handlers: NamespaceHandlers<N>,
): NamespaceHandlers<N> {
  return handlers
}

/** The untrusted entry (IPC, HTTP bridge): any method name, any input. */
export type Dispatch = (method: string, rawInput: unknown) => Promise<Envelope<unknown>>
/** The same, typed by method (tests, scripts inside the process). */
export type Call = <M extends Method>(method: M, input: Input<M>) => Promise<Envelope<Result<M>>>

const isMethod = (m: string): m is Method => Object.prototype.hasOwnProperty.call(contract, m)

/**
 * The single entry for both transports: looks the method up, parses the input with its zod
 * schema (unknown fields are refused), runs the namespace's handler and wraps the outcome as an
 * envelope. After a mutation it announces the tags the contract says it invalidates, so every
 * window (and the browser mode's event stream) refetches exactly that.
 */
export interface DispatchGates {
  /** awaited before every mutation (the background integrity check) */
  beforeMutation?: (method: Method) => Promise<void>
  /** a reason to refuse every call (a damaged database) */
  refuse?: () => Error | null
  /** sign-in check before the method runs (throws ApiFailure `unauthenticated`); see main/desk.ts */
  authorize?: (method: Method, kind: 'query' | 'mutation') => void
}

export function createDispatcher(
  table: HandlerTable,
  ctx: AppContext,
  log: (e: unknown, m: string) => void = logError,
  gates: DispatchGates = {},
): Dispatch {
  return async (method, rawInput) => {
    if (!isMethod(method)) {
      return {
        ok: false,
        error: { code: 'unknown_method', message: `Unbekannte Funktion „${method.slice(0, 60)}“.` },
      }
    }
    try {
      const def = contract[method]
      gates.authorize?.(method, def.kind)
      if (def.kind === 'mutation') await gates.beforeMutation?.(method)
      const refused = gates.refuse?.()
      if (refused)
        return { ok: false, error: { code: 'database_damaged', message: refused.message } }
      // canonical text, no prototype keys, bounded depth — before the schema sees it (db/text.ts)
      const input: unknown = def.input.parse(canonicalValue(rawInput ?? {}, INPUT_MAX_DEPTH))
      const [ns, leaf] = method.split('.') as [Namespace, string]
      const entry = (
        table[ns] as unknown as Record<
          string,
          ((i: unknown, c: AppContext) => unknown) | Guarded<Method> | undefined
        >
      )[leaf]
      if (!entry) throw new Error(`Kein Handler für ${method}`)
      const run = typeof entry === 'function' ? entry : entry.run
      // the rights gate: before the handler, for every guarded method (docs/architecture.md, Rights)
      if (typeof entry !== 'function') authorize(ctx, entry.guard as CaseGuard<unknown>, input)
      const value = await (run as (i: unknown, c: AppContext) => unknown)(input, ctx)
      if (def.kind === 'mutation')
        ctx.events.emit('changed', {
          tags: [...tagsFor(def.invalidates as (i: unknown) => never, input)],
        })
      return { ok: true, value }
    } catch (err) {
      if (
        !(err instanceof ApiFailure) &&
        !(err instanceof ZodError) &&
        !(err instanceof InputShapeError)
      )
        log(err, method)
      return { ok: false, error: toApiError(err) }
    }
  }
}

function logError(err: unknown, method: string): void {
  console.error(`[api] ${method} fehlgeschlagen:`, err)
}
