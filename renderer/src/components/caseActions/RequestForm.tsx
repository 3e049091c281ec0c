// The Nachforderung form of the action bar: missing documents from the checklist and a deadline.
import { useState, type FormEvent } from 'react'
import type { CaseDetail } from '../../../../preload/contract/index'
import { useApiMutation } from '../../api/api'
import { DateField } from '../DateField'
import { ErrorMessage } from '../ErrorMessage'
import { inDays } from './inDays'

export function RequestForm({
  c,
  today,
  onDone,
}: {
  c: CaseDetail
  today: string
  onDone: () => void
}) {
  const [items, setItems] = useState<string[]>([])
  const [deadline, setDeadline] = useState(inDays(today, 14))
  const [request, state] = useApiMutation('casework.requestDocuments')
  const toggle = (item: string) =>
    setItems(items.includes(item) ? items.filter((i) => i !== item) : [...items, item])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await request({ id: c.id, items, deadline })
    if (!('error' in res)) onDone()
  }
  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e)}
      aria-label="Unterlagen nachfordern"
    >
      <fieldset>
        <legend>Fehlende Unterlagen</legend>
        {c.checklist.map((item, i) => (
          <label key={item} className="check">
            <input
              type="checkbox"
              checked={items.includes(item)}
              onChange={() => toggle(item)}
              autoFocus={i === 0}
            />{' '}
            {item}
          </label>
        ))}
      </fieldset>
      <DateField label="Frist" value={deadline} min={today} onChange={setDeadline} required />
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || items.length === 0}>
        Nachforderung erstellen
      </button>
    </form>
  )
}
