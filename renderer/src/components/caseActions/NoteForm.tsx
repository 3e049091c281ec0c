// The Vermerk / Telefonat form of the action bar.
import { useState, type FormEvent } from 'react'
import type { CaseDetail } from '../../../../preload/contract/index'
import { useApiMutation } from '../../api/api'
import { ErrorMessage } from '../ErrorMessage'

export function NoteForm({
  c,
  kind,
  onDone,
}: {
  c: CaseDetail
  kind: 'note' | 'phone'
  /** called with the new note's id */
  onDone: (noteId: string) => void
}) {
  const [text, setText] = useState('')
  const [party, setParty] = useState('')
  const [addNote, state] = useApiMutation('casework.addNote')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await addNote({
      id: c.id,
      text,
      kind,
      ...(kind === 'phone' && party ? { party } : {}),
    })
    if (!('error' in res) && res.data) onDone(res.data.noteId)
  }
  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e)}
      aria-label={kind === 'phone' ? 'Telefonat vermerken' : 'Vermerk anlegen'}
    >
      {kind === 'phone' && (
        <label>
          Gesprächspartner/in
          <input type="text" value={party} onChange={(e) => setParty(e.target.value)} autoFocus />
        </label>
      )}
      <label>
        {kind === 'phone' ? 'Inhalt des Telefonats' : 'Vermerk'}
        <textarea
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          required
          autoFocus={kind === 'note'}
          aria-describedby="note-hint"
        />
      </label>
      <p id="note-hint" className="muted small">
        Strg+Eingabe speichert, Esc schließt ohne Speichern.
      </p>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || !text.trim()}>
        Speichern
      </button>
    </form>
  )
}
