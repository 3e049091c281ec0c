import { useState } from 'react'
import { useApiMutation, useApiQuery } from '../api/api'
import { BalanceDialog } from './BalanceDialog'
import { ErrorMessage } from './ErrorMessage'

/** Actions on the selected cases: take them, or (team lead) assign or distribute them. */
export function SelectionBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const { data: info } = useApiQuery('app.info', {})
  const { data: users } = useApiQuery('session.users', {})
  const [assign, state] = useApiMutation('team.assign')
  const [assignee, setAssignee] = useState('')
  const [reason, setReason] = useState('')
  const [balancing, setBalancing] = useState(false)
  const lead = info?.user.role === 'lead'
  const clerks = users?.users.filter((u) => u.role === 'clerk' || u.role === 'lead') ?? []
  const run = async (target: string | null) => {
    const res = await assign({ ids, assignee: target, ...(reason ? { reason } : {}) })
    if (!('error' in res)) onDone()
  }
  return (
    <section className="selection-bar" aria-label="Auswahl">
      <strong>{ids.length} ausgewählt</strong>
      {info?.user.role === 'clerk' && (
        <button type="button" onClick={() => void run(info.user.id)} disabled={state.isLoading}>
          Übernehmen
        </button>
      )}
      {lead && (
        <>
          <label>
            Zuweisen an{' '}
            <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              <option value="">– bitte wählen –</option>
              {clerks.map((u) => (
                <option key={u.userId} value={u.userId}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Grund (optional){' '}
            <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button
            type="button"
            onClick={() => void run(assignee)}
            disabled={!assignee || state.isLoading}
          >
            Zuweisen
          </button>
          <button type="button" className="secondary" onClick={() => setBalancing(true)}>
            Verteilung vorschlagen
          </button>
        </>
      )}
      <ErrorMessage error={state.error} />
      {balancing && (
        <BalanceDialog
          ids={ids}
          onClose={(done) => {
            setBalancing(false)
            if (done) onDone()
          }}
        />
      )}
    </section>
  )
}
