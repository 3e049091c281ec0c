// Mitzeichnung: co-sign with a comment or return to the clerk with a note.
import { useState } from 'react'
import { useApiMutation } from '../../api/api'
import { ErrorMessage } from '../ErrorMessage'
import { focusStableHeading } from './shared'

export function CosignBox({ caseId, compact = false }: { caseId: string; compact?: boolean }) {
  const [cosign, state] = useApiMutation('decisions.cosign')
  const [giveBack, backState] = useApiMutation('decisions.returnForChanges')
  const [comment, setComment] = useState('')
  const [returning, setReturning] = useState(false)
  const [note, setNote] = useState('')
  return (
    <section className="action-form" aria-label="Mitzeichnung">
      {!compact && (
        <p>
          Diese Entscheidung erfordert die Mitzeichnung der Sachgebietsleitung (Vier-Augen-Prinzip).
        </p>
      )}
      {!returning ? (
        <>
          <label>
            Anmerkung zur Mitzeichnung (optional)
            <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <ErrorMessage error={state.error} />
          <div className="action-row">
            <button
              type="button"
              onClick={() =>
                void cosign({ id: caseId, ...(comment.trim() ? { comment } : {}) }).then(
                  (r) => !('error' in r) && focusStableHeading(),
                )
              }
              disabled={state.isLoading}
            >
              Mitzeichnen
            </button>
            <button type="button" className="secondary" onClick={() => setReturning(true)}>
              Zurück mit Anmerkung …
            </button>
          </div>
        </>
      ) : (
        <>
          <label>
            Anmerkung für die Sachbearbeitung *
            <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} required />
          </label>
          <ErrorMessage error={backState.error} />
          <div className="action-row">
            <button
              type="button"
              onClick={() =>
                void giveBack({ id: caseId, note }).then(
                  (r) => !('error' in r) && focusStableHeading(),
                )
              }
              disabled={backState.isLoading || !note.trim()}
            >
              Zurück an die Sachbearbeitung
            </button>
            <button type="button" className="secondary" onClick={() => setReturning(false)}>
              Abbrechen
            </button>
          </div>
        </>
      )}
    </section>
  )
}
