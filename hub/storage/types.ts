// The hub's one storage interface (docs/architecture.md, "Hub storage"): every store of the hub
// (intake, office, desks, OIDC artefacts) as typed async statements, and transactions that give a
// transactional view. Implementations: sqlite/ (embedded default) and, next, postgres/.
import type { Compiled, StmtDefs } from './stmt'

/** The statements of one storage, grouped by store. */
export type StatementGroups<G extends Record<string, StmtDefs>> = { [K in keyof G]: Compiled<G[K]> }

export interface Storage<G extends Record<string, StmtDefs>> {
  readonly backend: 'sqlite' | 'postgres'
  readonly q: StatementGroups<G>
  /**
   * Runs fn in one transaction (nested: a savepoint) and commits when it resolves, rolls back when
   * it throws. Statements of `q` called while fn runs (in its async context) belong to it too.
   */
  transaction<T>(fn: (tx: StatementGroups<G>) => Promise<T>): Promise<T>
  /**
   * Runs fn while holding the named lock across every process of the hub (PostgreSQL: an
   * advisory lock; SQLite: one process, an in-process lock). `wait: false` gives up at once when
   * another holder has it and resolves `{ ran: false }`.
   */
  lock<T>(
    name: string,
    fn: () => Promise<T>,
    opts?: { wait?: boolean },
  ): Promise<{ ran: true; value: T } | { ran: false }>
  close(): Promise<void>
}
