/**
 * Building blocks of the contract (docs/architecture.md, "One contract"): every method is
 * declared once, in the file of its namespace, with its zod input schema, its result type and
 * the cache tags it provides (queries) or invalidates (mutations). Main registers handlers from
 * it, the preload and the browser bridge expose it, the renderer's RTK Query endpoints and the
 * `changed` events are derived from it.
 */
import { z } from 'zod'
import { isRealDate } from '../../common/dates'

/** Phantom marker that carries a result type without runtime cost. */
export const returns = <T>() => undefined as unknown as T

/** A calendar date `JJJJ-MM-TT` that exists (no 2026-02-30, no 0000-00-00). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet')
  .refine(isRealDate, 'Dieses Datum gibt es nicht')
export const id = z.string().min(1, 'Kennung fehlt').max(100, 'Kennung zu lang')

export interface ActionResult {
  mutationId: string | null
}

/** Entity tags: what a query shows and what a mutation changes (RTK Query tags, `changed` events). */
export type EntityTag =
  | { type: 'Case'; id?: string }
  | { type: 'CaseList' }
  | { type: 'IntakeLog' }
  | { type: 'Sync' }
  | { type: 'Views' }
  | { type: 'Absences' }
  | { type: 'Session' }
export type TagType = EntityTag['type']
export const TAG_TYPES: readonly TagType[] = [
  'Case',
  'CaseList',
  'IntakeLog',
  'Sync',
  'Views',
  'Absences',
  'Session',
]

/** Static tags, or tags computed from the parsed input. */
export type Tags<I> = readonly EntityTag[] | ((input: I) => readonly EntityTag[])

/** One case changed: that case, the lists and the sync counters. */
export const caseTags = (id: string): EntityTag[] => [
  { type: 'Case', id },
  { type: 'CaseList' },
  { type: 'Sync' },
]

export interface QueryDef<S extends z.ZodType, R> {
  kind: 'query'
  input: S
  result: R
  provides: Tags<z.output<S>>
  /** seconds the renderer keeps an unused result (default 60) */
  keepFor?: number
}
export interface MutationDef<S extends z.ZodType, R> {
  kind: 'mutation'
  input: S
  result: R
  invalidates: Tags<z.output<S>>
  /** the whole renderer cache belongs to the previous user afterwards (sign-in) */
  resetsCache?: true
}
export type MethodDef = QueryDef<z.ZodType, unknown> | MutationDef<z.ZodType, unknown>

export const query = <S extends z.ZodType, R>(
  input: S,
  result: R,
  provides: Tags<z.output<S>>,
  opts: { keepFor?: number } = {},
): QueryDef<S, R> => ({
  kind: 'query',
  input,
  result,
  provides,
  ...opts,
})

export const mutation = <S extends z.ZodType, R>(
  input: S,
  result: R,
  invalidates: Tags<z.output<S>>,
  opts: { resetsCache?: true } = {},
): MutationDef<S, R> => ({ kind: 'mutation', input, result, invalidates, ...opts })

/** `namespace('cases', { list, get })` → `{ 'cases.list', 'cases.get' }`: the prefix is written once. */
export function namespace<const N extends string, const L extends Record<string, MethodDef>>(
  name: N,
  leaves: L,
): { [K in keyof L & string as `${N}.${K}`]: L[K] } {
  return Object.fromEntries(
    Object.entries(leaves).map(([leaf, def]) => [`${name}.${leaf}`, def]),
  ) as never
}

/** Resolves a method's tags for one input. */
export function tagsFor<I>(tags: Tags<I>, input: I): readonly EntityTag[] {
  return typeof tags === 'function' ? tags(input) : tags
}

export interface ApiError {
  code: string
  message: string
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError }
