import { useEffect, useRef, useState } from 'react'
import type { BalanceProposal } from '../../../preload/contract/index'
import { useApiLazyQuery, useApiMutation, useApiQuery } from '../api/api'
import { formatDate } from '../labels'
import { ErrorMessage } from './ErrorMessage'

/**
 * The balance helper: proposes who takes which unassigned case (by load and deadlines). The lead
 * reviews and edits the proposal; nothing is assigned before „Verteilung übernehmen“.
 */
export function BalanceDialog({
  ids,
  onClose,
}: {
  ids?: string[]
  onClose: (done: boolean) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [load, { data, error, isFetching }] = useApiLazyQuery('team.balance')
  const { data: users } = useApiQuery('session.users', {})
  const [edits, setEdits] = useState<Record<string, string>>({})
  const proposal: BalanceProposal[] | null = data
    ? data.proposal.map((p) => ({ ...p, assignee: edits[p.caseId] ?? p.assignee }))
    : null
  const [reason, setReason] = useState('Verteilung nach Auslastung')
  const [assign, state] = useApiMutation('team.assign')
  useEffect(() => {
    dialog.current?.showModal()
    void load({ limit: 500, ...(ids ? { ids } : {}) })
  }, [load, ids])
  const clerks = users?.users.filter((u) => u.role === 'clerk') ?? []
  const accept = async () => {
    if (!proposal) return
    const byClerk = new Map<string, string[]>()
    for (const p of proposal)
      byClerk.set(p.assignee, [...(byClerk.get(p.assignee) ?? []), p.caseId])
    for (const [assignee, caseIds] of byClerk) {
      const res = await assign({ ids: caseIds, assignee, reason })
      if ('error' in res) return
    }
    onClose(true)
  }
  const counts = new Map<string, number>()
  for (const p of proposal ?? []) counts.set(p.assignee, (counts.get(p.assignee) ?? 0) + 1)
  return (
    <dialog
      ref={dialog}
      className="balance"
      aria-labelledby="balance-title"
      onClose={() => onClose(false)}
    >
      <h2 id="balance-title">Verteilungsvorschlag</h2>
      <ErrorMessage error={error ?? state.error} />
      {isFetching && <p>Vorschlag wird berechnet …</p>}
      {proposal && proposal.length === 0 && <p>Keine unverteilten Vorgänge.</p>}
      {proposal && proposal.length > 0 && (
        <>
          <p className="muted">
            {[...counts.entries()]
              .map(([u, n]) => `${clerks.find((c) => c.userId === u)?.name ?? u}: ${n}`)
              .join(' · ')}
          </p>
          <div className="balance-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Aktenzeichen</th>
                  <th scope="col">Frist</th>
                  <th scope="col">Vorschlag</th>
                </tr>
              </thead>
              <tbody>
                {proposal.map((p) => (
                  <tr key={p.caseId} data-testid="balance-row">
                    <td>{p.aktenzeichen}</td>
                    <td>{formatDate(p.deadline)}</td>
                    <td>
                      <select
                        aria-label={`Zuständig für ${p.aktenzeichen}`}
                        value={p.assignee}
                        onChange={(e) => setEdits({ ...edits, [p.caseId]: e.target.value })}
                      >
                        {clerks.map((u) => (
                          <option key={u.userId} value={u.userId}>
                            {u.name}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <label>
            Grund im Verlauf{' '}
            <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        </>
      )}
      <div className="action-row">
        <button
          type="button"
          onClick={() => void accept()}
          disabled={!proposal?.length || state.isLoading}
        >
          Verteilung übernehmen
        </button>
        <button type="button" className="secondary" onClick={() => onClose(false)}>
          Abbrechen
        </button>
      </div>
    </dialog>
  )
}
