// The decision form: outcome, the outcome's fields, Begründung prefilled from the case, hearing.
import { useState, type FormEvent } from 'react'
import type { CaseDetail, DecisionView, HearingRecord, Outcome } from '../../../../preload/contract'
import {
  fillPlaceholders,
  fromFormValues,
  initialValues,
  type PlaceholderValue,
} from '../../../../preload/contract/decisionForm'
import { DateField } from '../DateField'
import { useApiMutation } from '../../api/api'
import { ErrorMessage } from '../ErrorMessage'

export function DecisionForm({
  c,
  view,
  onDone,
  focusFirst,
}: {
  c: CaseDetail
  view: DecisionView
  onDone: () => void
  focusFirst: boolean
}) {
  const current = view.decision
  const [outcome, setOutcome] = useState<Outcome>(
    current?.outcome ?? view.outcomes[0]?.value ?? 'stattgegeben',
  )
  const def = view.outcomes.find((o) => o.value === outcome)
  const [values, setValues] = useState<Record<string, string>>(() =>
    initialValues(current, view.prefill, view.outcomes),
  )
  const [fieldErrors, setFieldErrors] = useState<string[]>([])
  const [reasons, setReasons] = useState(current?.reasons ?? def?.reasonsSkeleton ?? '')
  const [reasonsTouched, setReasonsTouched] = useState(Boolean(current))
  const [hearingMode, setHearingMode] = useState<'done' | 'dispensable' | 'none'>(
    current?.hearing ? (current.hearing.done ? 'done' : 'dispensable') : 'none',
  )
  const [hearingDate, setHearingDate] = useState(current?.hearing?.done ? current.hearing.date : '')
  const [hearingReason, setHearingReason] = useState(
    current?.hearing && !current.hearing.done ? current.hearing.dispensableReason : '',
  )
  const [decide, state] = useApiMutation('decisions.decide')
  const original = current?.outcome === outcome ? current.fields : {}
  // until the clerk edits the Begründung, the skeleton shows the amounts and dates typed above
  const typed = fromFormValues(values, def?.fields ?? [], original).fields
  const live: Record<string, PlaceholderValue> = Object.fromEntries(
    (def?.fields ?? []).flatMap((f) =>
      typed[f.name] === undefined ? [] : [[f.name, { type: f.type, value: typed[f.name]! }]],
    ),
  )
  const shownReasons = reasonsTouched ? reasons : fillPlaceholders(reasons, live)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    // only the chosen outcome's fields; what the user did not touch is sent exactly as stored
    const { fields, errors } = fromFormValues(values, def?.fields ?? [], original)
    setFieldErrors(errors.map((x) => x.message))
    if (errors.length) return
    const hearing: HearingRecord | undefined =
      hearingMode === 'done' && hearingDate
        ? { done: true, date: hearingDate }
        : hearingMode === 'dispensable'
          ? { done: false, dispensableReason: hearingReason }
          : undefined
    const res = await decide({
      id: c.id,
      outcome,
      fields,
      reasons: shownReasons,
      ...(hearing ? { hearing } : {}),
    })
    if (!('error' in res)) onDone()
  }
  return (
    <form
      className="action-form wide"
      onSubmit={(e) => void submit(e)}
      aria-label="Entscheidung erfassen"
    >
      <fieldset>
        <legend>Ergebnis</legend>
        {view.outcomes.map((o) => (
          <label key={o.value} className="check">
            <input
              type="radio"
              name="outcome"
              value={o.value}
              checked={outcome === o.value}
              autoFocus={focusFirst && outcome === o.value}
              onChange={() => {
                setOutcome(o.value)
                if (!reasonsTouched) setReasons(o.reasonsSkeleton)
              }}
            />{' '}
            {o.label}
          </label>
        ))}
      </fieldset>
      {def?.fields.map((f) =>
        f.type === 'date' ? (
          <DateField
            key={f.name}
            label={`${f.label}${f.required ? ' *' : ''}`}
            value={values[f.name] ?? ''}
            required={f.required}
            onChange={(v) => setValues({ ...values, [f.name]: v })}
            {...(f.hint ? { hint: f.hint } : {})}
          />
        ) : (
          <label key={f.name}>
            {f.label}
            {f.required ? ' *' : ''}
            {f.type === 'list' ? (
              <textarea
                rows={3}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                aria-describedby={f.hint || f.type === 'list' ? `hint-${f.name}` : undefined}
              />
            ) : (
              <input
                type="text"
                inputMode={f.type === 'money' ? 'decimal' : undefined}
                value={values[f.name] ?? ''}
                required={f.required}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                aria-describedby={f.hint || f.type === 'money' ? `hint-${f.name}` : undefined}
              />
            )}
            {(f.hint || f.type === 'list' || f.type === 'money') && (
              <span id={`hint-${f.name}`} className="muted small">
                {f.hint}
                {f.type === 'list' ? ' (eine Angabe je Zeile)' : ''}
                {f.type === 'money'
                  ? `${f.hint ? ' ' : ''}Betrag in Euro, z. B. 187,50 oder 1.234,56 €`
                  : ''}
              </span>
            )}
          </label>
        ),
      )}
      <label>
        Begründung
        <textarea
          rows={8}
          value={shownReasons}
          onChange={(e) => {
            setReasons(e.target.value)
            setReasonsTouched(true)
          }}
          aria-describedby="hint-reasons"
        />
      </label>
      <p id="hint-reasons" className="muted small">
        Angaben aus dem Antrag sind eingesetzt. Platzhalter in {'{{…}}'} füllt das Speichern aus den
        Feldern oben; Stellen in [eckigen Klammern] ergänzen Sie selbst. Solange etwas offen ist,
        bleibt die Entscheidung ein Entwurf.
      </p>
      <fieldset>
        <legend>
          Anhörung ({view.hearingLegalBasis}){def?.hearingRequired ? ' – erforderlich' : ''}
        </legend>
        <label className="check">
          <input
            type="radio"
            name="hearing"
            checked={hearingMode === 'none'}
            onChange={() => setHearingMode('none')}
          />{' '}
          keine Angabe
        </label>
        <label className="check">
          <input
            type="radio"
            name="hearing"
            checked={hearingMode === 'done'}
            onChange={() => setHearingMode('done')}
          />{' '}
          Anhörung durchgeführt
        </label>
        {hearingMode === 'done' && (
          <DateField
            label="Datum der Anhörung"
            value={hearingDate}
            onChange={setHearingDate}
            required
          />
        )}
        <label className="check">
          <input
            type="radio"
            name="hearing"
            checked={hearingMode === 'dispensable'}
            onChange={() => setHearingMode('dispensable')}
          />{' '}
          Anhörung entbehrlich
        </label>
        {hearingMode === 'dispensable' && (
          <label>
            {/* the procedure's own norm (§ 24 SGB X, § 55 OWiG, § 28 VwVfG), not always the VwVfG */}
            Grund, aus dem von der Anhörung abgesehen wird ({view.hearingLegalBasis})
            <input
              type="text"
              value={hearingReason}
              onChange={(e) => setHearingReason(e.target.value)}
              required
            />
          </label>
        )}
        <p className="muted small">
          Ein Anhörungsschreiben erstellen Sie nach dem Speichern der beabsichtigten Entscheidung
          mit „Anhörungsschreiben erstellen“; die Anhörung wird dann hier vermerkt.
        </p>
      </fieldset>
      {fieldErrors.length > 0 && (
        <div role="alert" className="error">
          {fieldErrors.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading}>
        Entscheidung speichern
      </button>
    </form>
  )
}

/** Co-sign (optionally with a comment) or return to the clerk with a note. Case screen and inbox. */
