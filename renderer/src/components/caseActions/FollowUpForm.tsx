// The Wiedervorlage form of the action bar: set or clear the follow-up date.
import { useState, type FormEvent } from 'react'
import type { CaseDetail } from '../../../../preload/contract/index'
import { useApiMutation } from '../../api/api'
import { DateField } from '../DateField'
import { ErrorMessage } from '../ErrorMessage'
import { inDays } from './inDays'

export function FollowUpForm({
  c,
  today,
  onDone,
}: {
  c: CaseDetail
  today: string
  onDone: (date: string | null) => void
}) {
  const [date, setDate] = useState(c.followUp ?? inDays(today, 7))
  const [setFollowUp, state] = useApiMutation('casework.setFollowUp')
  const submit = async (e: FormEvent, value: string | null) => {
    e.preventDefault()
    const res = await setFollowUp({ id: c.id, date: value })
    if (!('error' in res)) onDone(value)
  }
  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e, date)}
      aria-label="Wiedervorlage setzen"
    >
      <DateField
        label="Wiedervorlage am"
        value={date}
        min={today}
        onChange={setDate}
        required
        autoFocus
      />
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading}>
        Wiedervorlage setzen
      </button>
      {c.followUp && (
        <button type="button" className="secondary" onClick={(e) => void submit(e, null)}>
          Wiedervorlage löschen
        </button>
      )}
    </form>
  )
}
