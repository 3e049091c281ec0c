// Records management reopens a closed case with a reason.
import { useState } from 'react'
import type { CaseDetail } from '../../../../preload/contract/index'
import { useApiMutation } from '../../api/api'
import { ErrorMessage } from '../ErrorMessage'

export function ReopenForm({ c }: { c: CaseDetail }) {
  const [reason, setReason] = useState('')
  const [reopen, state] = useApiMutation('records.reopen')
  return (
    <form
      className="action-form"
      aria-label="Vorgang wieder öffnen"
      onSubmit={(e) => {
        e.preventDefault()
        void reopen({ id: c.id, reason }).then((r) => {
          if (!('error' in r))
            requestAnimationFrame(() => document.getElementById('case-title')?.focus())
        })
      }}
    >
      <label>
        Grund für das Wiederöffnen
        <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || !reason.trim()}>
        Wieder öffnen
      </button>
    </form>
  )
}
