// The Anhörung (§ 28 VwVfG) before an adverse decision as a letter: the points the applicant may
// comment on and a deadline of at least two weeks; it goes through the Rückkanal like the
// Nachforderung and records the hearing on the decision.
import { useState, type FormEvent } from 'react'
import type { CaseDetail, DecisionView } from '../../../../preload/contract'
import { useApiMutation, useApiQuery } from '../../api/api'
import { DateField } from '../DateField'
import { ErrorMessage } from '../ErrorMessage'
import { inDays } from '../caseActions/inDays'

export function HearingLetterButton({ c, view }: { c: CaseDetail; view: DecisionView }) {
  const [open, setOpen] = useState(false)
  const [sent, setSent] = useState(false)
  const { data: info } = useApiQuery('app.info', {})
  const d = view.decision
  const required = d && view.outcomes.find((o) => o.value === d.outcome)?.hearingRequired
  if (!view.canDecide || !d || d.dispatchDate || !required || !info) return null
  if (!open)
    return (
      <>
        {sent && (
          <p role="status">
            Das Anhörungsschreiben ist erstellt, in den Dokumenten abgelegt und an der Entscheidung
            vermerkt.
          </p>
        )}
        <button
          type="button"
          className="secondary"
          // back from the form, the focus returns here (not to the page)
          autoFocus={sent}
          onClick={() => {
            setSent(false)
            setOpen(true)
          }}
        >
          {d.hearing?.done && d.hearing.letter
            ? 'Weiteres Anhörungsschreiben erstellen'
            : 'Anhörungsschreiben erstellen'}
        </button>
      </>
    )
  return (
    <HearingLetterForm
      c={c}
      legalBasis={view.hearingLegalBasis}
      today={info.today}
      onDone={(done) => {
        setSent(done)
        setOpen(false)
      }}
    />
  )
}

function HearingLetterForm({
  c,
  legalBasis,
  today,
  onDone,
}: {
  c: CaseDetail
  legalBasis: string
  today: string
  onDone: (sent: boolean) => void
}) {
  const [points, setPoints] = useState('')
  const earliest = inDays(today, 14)
  const [deadline, setDeadline] = useState(earliest)
  const [send, state] = useApiMutation('decisions.hearing')
  const list = points
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await send({ id: c.id, points: list, deadline })
    if (!('error' in res)) onDone(true)
  }
  return (
    <form
      className="action-form wide"
      onSubmit={(e) => void submit(e)}
      aria-label="Anhörungsschreiben erstellen"
    >
      <label>
        Punkte, zu denen sich die antragstellende Person äußern kann ({legalBasis}) – ein Punkt je
        Zeile
        <textarea
          rows={4}
          value={points}
          onChange={(e) => setPoints(e.target.value)}
          required
          autoFocus
          aria-describedby="hint-hearing-letter"
        />
      </label>
      <DateField
        label="Frist zur Äußerung"
        value={deadline}
        min={earliest}
        onChange={setDeadline}
        required
        hint="Mindestens zwei Wochen ab heute."
      />
      <p id="hint-hearing-letter" className="muted small">
        Das Schreiben nennt die beabsichtigte Entscheidung, kommt in die Akte und geht über den
        Rückkanal an die antragstellende Person, wenn sie einen angegeben hat. Die Anhörung wird mit
        dem heutigen Datum an der Entscheidung vermerkt.
      </p>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || list.length === 0}>
        Anhörungsschreiben versenden
      </button>
      <button type="button" className="secondary" onClick={() => onDone(false)}>
        Abbrechen
      </button>
    </form>
  )
}
