import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { SerializedError } from '@reduxjs/toolkit'
import type { ApiError, CaseDetail, DecisionFieldDef, DecisionFieldValue, DecisionView, HearingRecord, Outcome } from '../../../preload/contract'
import { fillPlaceholders, fromFormValues, initialValues, type PlaceholderValue } from '../../../preload/contract/decisionForm'
import { formatMoney } from '../../../common/germanNumbers'
import { DateField } from './DateField'
import { useApiLazyQuery, useApiMutation, useApiQuery } from '../api/api'
import { formatDate, formatDateTime } from '../labels'
import { ErrorMessage } from './ErrorMessage'
import { PdfViewer } from './LazyPdfViewer'

/** After an action whose button goes away: focus a heading that stays (never <body>). */
export function focusStableHeading(): void {
  requestAnimationFrame(() => (document.getElementById('decision-title') ?? document.querySelector<HTMLElement>('main h1'))?.focus())
}

const decode = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))

/** Entscheidung → (Mitzeichnung) → Vorschau → Prüfen → Signieren und Versenden → (Postausgang). */
export function DecisionPane({ c }: { c: CaseDetail }) {
  const { data: view, error } = useApiQuery('decisions.get', { id: c.id })
  const [editing, setEditing] = useState(false)
  // after saving or sending, the focus goes to the decision's heading (not to <body>)
  const [focusToken, setFocusToken] = useState(0)
  const saved = () => setFocusToken((n) => n + 1)
  if (error) return <ErrorMessage error={error} />
  if (!view) return <p>Lädt …</p>
  const d = view.decision
  return (
    <div className="decision">
      {d && !editing && <DecisionSummary c={c} view={view} focusToken={focusToken} />}
      {view.noticeLate && <LateNotice c={c} datedOn={view.noticeLate.dispatchDate} />}
      {view.canCosign && <CosignBox caseId={c.id} />}
      {view.canDecide && (editing || !d) && <DecisionForm
          c={c}
          view={view}
          focusFirst={editing}
          onDone={() => {
            setEditing(false)
            saved()
          }}
        />}
      {view.canDecide && d && !editing && !d.dispatchDate && (
        <button type="button" className="secondary" onClick={() => setEditing(true)} aria-keyshortcuts="Alt+E">
          Entscheidung ändern
        </button>
      )}
      {d && !d.dispatchDate && <NoticePreview c={c} view={view} />}
      {view.canIssue && <IssueForm c={c} view={view} onSent={saved} />}
      {!view.canDecide && !d && <p>Entscheiden kann die zuständige Person, sobald der Vorgang in Bearbeitung ist.</p>}
    </div>
  )
}

function fieldText(v: DecisionFieldValue | undefined, def: DecisionFieldDef): string {
  if (v === undefined || v === '') return '—'
  if (Array.isArray(v)) return v.join('; ')
  if (def.type === 'money' && typeof v === 'number') return formatMoney(v)
  if (def.type === 'date' && typeof v === 'string') return formatDate(v)
  return String(v)
}

function DecisionSummary({ c, view, focusToken }: { c: CaseDetail; view: DecisionView; focusToken: number }) {
  const d = view.decision!
  const outcome = view.outcomes.find((o) => o.value === d.outcome)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (focusToken > 0) heading.current?.focus()
  }, [focusToken, d.decidedAt, d.dispatchDate])
  return (
    <section aria-labelledby="decision-title" className="decision-summary">
      <h2 id="decision-title" tabIndex={-1} ref={heading}>
        {d.draft ? 'Entwurf' : 'Entscheidung'}: {d.outcomeLabel}
      </h2>
      {d.returned && (
        <div role="status" className="error" data-testid="returned-note">
          <p>
            <strong>Zurück mit Anmerkung</strong> von {d.returned.byName}, {formatDateTime(d.returned.at)}:
          </p>
          <p>{d.returned.note}</p>
          <p className="small">Bitte die Entscheidung ändern oder unverändert erneut speichern – dann liegt sie wieder zur Mitzeichnung vor.</p>
        </div>
      )}
      {d.draft && (
        <div role="status" className="error" data-testid="draft-open">
          <p>Die Entscheidung ist ein Entwurf; der Vorgang bleibt in Bearbeitung, bis alles ausgefüllt ist. Noch offen:</p>
          <ul>
            {d.open.map((m) => (
              <li key={m.code + m.messageDe}>{m.messageDe}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="form-view">
        {outcome?.fields.map((f) => (
          <div key={f.name}>
            <dt>{f.label}</dt>
            <dd>{fieldText(d.fields[f.name], f)}</dd>
          </div>
        ))}
        <div>
          <dt>Anhörung</dt>
          <dd>{d.hearing ? (d.hearing.done ? `durchgeführt am ${formatDate(d.hearing.date)}` : `entbehrlich: ${d.hearing.dispensableReason}`) : '—'}</dd>
        </div>
        <div>
          <dt>{d.draft ? 'Zuletzt gespeichert' : 'Entschieden'}</dt>
          <dd>
            {d.decidedBy}, {formatDateTime(d.decidedAt)}
          </dd>
        </div>
        {d.cosignRequired && !d.draft && (
          <div>
            <dt>Mitzeichnung</dt>
            <dd data-testid="cosign-state">
              {d.cosignedAt
                ? `${d.cosignedBy ?? ''}, ${formatDateTime(d.cosignedAt)}${d.cosignComment ? ` – „${d.cosignComment}“` : ''}`
                : d.returned
                  ? 'zurückgegeben – wartet auf Ihre Überarbeitung'
                  : 'ausstehend – wartet auf die Sachgebietsleitung'}
            </dd>
          </div>
        )}
        {d.dispatchDate && (
          <>
            <div>
              <dt>Versandt am</dt>
              <dd>
                {formatDate(d.dispatchDate)} ({d.channel === 'portal' ? 'Portal' : 'Post'})
              </dd>
            </div>
            <div>
              <dt>Bekanntgabe (§ 41 VwVfG)</dt>
              <dd>{d.deliveredOn ? formatDate(d.deliveredOn) : 'am Tag nach dem Abruf im Portal'}</dd>
            </div>
            <div>
              <dt>Widerspruchsfrist endet</dt>
              <dd data-testid="objection-end">{d.objectionEnd ? formatDate(d.objectionEnd) : 'einen Monat nach Bekanntgabe'}</dd>
            </div>
          </>
        )}
      </dl>
      {d.dispatchDate && d.channel === 'post' && d.noticeDocumentId && <PostalCopy caseId={c.id} documentId={d.noticeDocumentId} filename={`Bescheid-${c.aktenzeichen}.pdf`} postedAt={d.postedAt} />}
    </section>
  )
}

/** Opens a stored PDF for printing (a download: the OS viewer prints it). */
export function useOpenPdf(): [(documentId: string, filename: string) => Promise<void>, { isFetching: boolean; error: ApiError | SerializedError | undefined }] {
  const [load, state] = useApiLazyQuery('cases.document')
  const open = async (documentId: string, filename: string) => {
    const res = await load({ id: documentId })
    if (!res.data) return
    const url = URL.createObjectURL(new Blob([decode(res.data.base64)], { type: 'application/pdf' }))
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
  return [open, { isFetching: state.isFetching, error: state.error }]
}

/** Postal channel: the print-ready signed copy, and noting that it went into the post. */
function PostalCopy({ caseId, documentId, filename, postedAt }: { caseId: string; documentId: string; filename: string; postedAt: string | null }) {
  const [open, openState] = useOpenPdf()
  const [markPosted, state] = useApiMutation('notices.markPosted')
  return (
    <div className="action-row" aria-label="Postversand" role="group">
      <button type="button" className="secondary" onClick={() => void open(documentId, filename)} disabled={openState.isFetching}>
        Druckexemplar (PDF) herunterladen
      </button>
      {postedAt ? (
        <span className="muted">Zur Post gegeben am {formatDateTime(postedAt)}</span>
      ) : (
        <button type="button" onClick={() => void markPosted({ id: caseId }).then((r) => !('error' in r) && focusStableHeading())} disabled={state.isLoading}>
          Als zur Post gegeben vermerken
        </button>
      )}
      <ErrorMessage error={state.error ?? openState.error} />
    </div>
  )
}

function DecisionForm({ c, view, onDone, focusFirst }: { c: CaseDetail; view: DecisionView; onDone: () => void; focusFirst: boolean }) {
  const current = view.decision
  const [outcome, setOutcome] = useState<Outcome>(current?.outcome ?? view.outcomes[0]?.value ?? 'stattgegeben')
  const def = view.outcomes.find((o) => o.value === outcome)
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(current, view.prefill, view.outcomes))
  const [fieldErrors, setFieldErrors] = useState<string[]>([])
  const [reasons, setReasons] = useState(current?.reasons ?? def?.reasonsSkeleton ?? '')
  const [reasonsTouched, setReasonsTouched] = useState(Boolean(current))
  const [hearingMode, setHearingMode] = useState<'done' | 'dispensable' | 'none'>(current?.hearing ? (current.hearing.done ? 'done' : 'dispensable') : 'none')
  const [hearingDate, setHearingDate] = useState(current?.hearing?.done ? current.hearing.date : '')
  const [hearingReason, setHearingReason] = useState(current?.hearing && !current.hearing.done ? current.hearing.dispensableReason : '')
  const [decide, state] = useApiMutation('decisions.decide')
  const original = current?.outcome === outcome ? current.fields : {}
  // until the clerk edits the Begründung, the skeleton shows the amounts and dates typed above
  const typed = fromFormValues(values, def?.fields ?? [], original).fields
  const live: Record<string, PlaceholderValue> = Object.fromEntries(
    (def?.fields ?? []).flatMap((f) => (typed[f.name] === undefined ? [] : [[f.name, { type: f.type, value: typed[f.name]! }]])),
  )
  const shownReasons = reasonsTouched ? reasons : fillPlaceholders(reasons, live)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    // only the chosen outcome's fields; what the user did not touch is sent exactly as stored
    const { fields, errors } = fromFormValues(values, def?.fields ?? [], original)
    setFieldErrors(errors.map((x) => x.message))
    if (errors.length) return
    const hearing: HearingRecord | undefined =
      hearingMode === 'done' && hearingDate ? { done: true, date: hearingDate } : hearingMode === 'dispensable' ? { done: false, dispensableReason: hearingReason } : undefined
    const res = await decide({ id: c.id, outcome, fields, reasons: shownReasons, ...(hearing ? { hearing } : {}) })
    if (!('error' in res)) onDone()
  }
  return (
    <form className="action-form wide" onSubmit={(e) => void submit(e)} aria-label="Entscheidung erfassen">
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
            <textarea rows={3} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} aria-describedby={f.hint || f.type === 'list' ? `hint-${f.name}` : undefined} />
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
              {f.type === 'money' ? `${f.hint ? ' ' : ''}Betrag in Euro, z. B. 187,50 oder 1.234,56 €` : ''}
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
        Angaben aus dem Antrag sind eingesetzt. Platzhalter in {'{{…}}'} füllt das Speichern aus den Feldern oben; Stellen in [eckigen Klammern] ergänzen Sie selbst. Solange
        etwas offen ist, bleibt die Entscheidung ein Entwurf.
      </p>
      <fieldset>
        <legend>
          Anhörung ({view.hearingLegalBasis}){def?.hearingRequired ? ' – erforderlich' : ''}
        </legend>
        <label className="check">
          <input type="radio" name="hearing" checked={hearingMode === 'none'} onChange={() => setHearingMode('none')} /> keine Angabe
        </label>
        <label className="check">
          <input type="radio" name="hearing" checked={hearingMode === 'done'} onChange={() => setHearingMode('done')} /> Anhörung durchgeführt
        </label>
        {hearingMode === 'done' && (
          <DateField label="Datum der Anhörung" value={hearingDate} onChange={setHearingDate} required />
        )}
        <label className="check">
          <input type="radio" name="hearing" checked={hearingMode === 'dispensable'} onChange={() => setHearingMode('dispensable')} /> Anhörung entbehrlich
        </label>
        {hearingMode === 'dispensable' && (
          <label>
            Grund (§ 28 Abs. 2 VwVfG)
            <input type="text" value={hearingReason} onChange={(e) => setHearingReason(e.target.value)} required />
          </label>
        )}
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
export function CosignBox({ caseId, compact = false }: { caseId: string; compact?: boolean }) {
  const [cosign, state] = useApiMutation('decisions.cosign')
  const [giveBack, backState] = useApiMutation('decisions.returnForChanges')
  const [comment, setComment] = useState('')
  const [returning, setReturning] = useState(false)
  const [note, setNote] = useState('')
  return (
    <section className="action-form" aria-label="Mitzeichnung">
      {!compact && <p>Diese Entscheidung erfordert die Mitzeichnung der Sachgebietsleitung (Vier-Augen-Prinzip).</p>}
      {!returning ? (
        <>
          <label>
            Anmerkung zur Mitzeichnung (optional)
            <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <ErrorMessage error={state.error} />
          <div className="action-row">
            <button type="button" onClick={() => void cosign({ id: caseId, ...(comment.trim() ? { comment } : {}) }).then((r) => !('error' in r) && focusStableHeading())} disabled={state.isLoading}>
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
            <button type="button" onClick={() => void giveBack({ id: caseId, note }).then((r) => !('error' in r) && focusStableHeading())} disabled={backState.isLoading || !note.trim()}>
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

function NoticePreview({ c, view }: { c: CaseDetail; view: DecisionView }) {
  const [show, setShow] = useState(false)
  const { data, error, isFetching } = useApiQuery('notices.preview', { id: c.id }, { skip: !show })
  const d = view.decision
  // what the draft box above already lists is not repeated here
  const draftOpen = new Set(d?.open.map((m) => m.code + m.messageDe) ?? [])
  const missing = view.missing.filter((m) => !draftOpen.has(m.code + m.messageDe))
  return (
    <section aria-labelledby="preview-title" className="notice-preview">
      <h2 id="preview-title">Bescheid</h2>
      {d?.draft && missing.length === 0 ? (
        <p className="muted" data-testid="notice-state">
          Signiert werden kann der Bescheid, sobald der Entwurf vollständig ist (siehe oben).
        </p>
      ) : missing.length > 0 ? (
        <div role="alert" className="error">
          <p>Der Bescheid kann noch nicht signiert werden. {d?.draft ? 'Außerdem fehlt:' : 'Es fehlt:'}</p>
          <ul data-testid="missing-parts">
            {missing.map((m) => (
              <li key={m.code + m.messageDe}>{m.messageDe}</li>
            ))}
          </ul>
        </div>
      ) : view.cosignPending ? (
        <p className="muted" data-testid="notice-state">
          Der Bescheid ist vollständig. Signiert werden kann er erst nach der Mitzeichnung durch die Sachgebietsleitung.
        </p>
      ) : d?.returned ? (
        <p className="muted" data-testid="notice-state">
          Die Sachgebietsleitung hat die Entscheidung zurückgegeben. Signiert werden kann erst nach erneuter Vorlage und Mitzeichnung.
        </p>
      ) : (
        <p className="muted" data-testid="notice-state">
          Der Bescheid ist vollständig und kann signiert werden.
        </p>
      )}
      <button type="button" className="secondary" onClick={() => setShow(!show)} aria-expanded={show}>
        {show ? 'Vorschau schließen' : 'Vorschau anzeigen'}
      </button>
      <ErrorMessage error={error} />
      {show && isFetching && <p>Vorschau wird erstellt …</p>}
      {show && data && <PdfViewer bytes={decode(data.base64)} title="Vorschau des Bescheids" />}
    </section>
  )
}

/**
 * Two steps: choose certificate, password and channel → check the summary → confirm. Enter in
 * the password field leads to the summary, never straight to sending.
 */
function IssueForm({ c, view, onSent }: { c: CaseDetail; view: DecisionView; onSent: () => void }) {
  const [certificate, setCertificate] = useState(view.certificates[0]?.value ?? 'seal')
  const [password, setPassword] = useState('')
  const [channel, setChannel] = useState<'post' | 'portal'>('post')
  const [remember, setRemember] = useState(false)
  const [step, setStep] = useState<'choose' | 'confirm'>('choose')
  const [issue, state] = useApiMutation('notices.issue')
  const [forget] = useApiMutation('notices.forgetPassword')
  const remembered = view.certificates.find((x) => x.value === certificate)?.passwordRemembered ?? false
  // back from the summary (Zurück, or a wrong password): the cursor is in the password field
  const passwordField = useRef<HTMLInputElement>(null)
  const [returned, setReturned] = useState(false)
  useEffect(() => {
    if (returned && step === 'choose') passwordField.current?.focus()
  }, [returned, step])
  const send = async () => {
    const res = await issue({ id: c.id, certificate, channel, ...(password ? { password, remember } : {}) })
    setPassword('')
    // a wrong password: back to the first step, where it is typed again
    if ('error' in res) {
      setReturned(true)
      setStep('choose')
    } else onSent()
  }
  if (view.missing.length > 0) return null
  if (step === 'confirm')
    return (
      <SendConfirmation
        c={c}
        channel={channel}
        certificateLabel={view.certificates.find((x) => x.value === certificate)?.label ?? certificate}
        busy={state.isLoading}
        onBack={() => {
          setReturned(true)
          setStep('choose')
        }}
        onSend={() => void send()}
      />
    )
  return (
    <form
      className="action-form"
      onSubmit={(e) => {
        e.preventDefault()
        setStep('confirm')
      }}
      aria-label="Signieren und versenden"
    >
      <h2>Signieren und versenden</h2>
      <p className="muted small">Schritt 1 von 2: Zertifikat und Versandweg wählen. Vor dem Versand sehen Sie eine Zusammenfassung.</p>
      <label>
        Zertifikat
        <select value={certificate} onChange={(e) => setCertificate(e.target.value as 'personal' | 'seal')}>
          {view.certificates.map((x) => (
            <option key={x.value} value={x.value}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Passwort des Zertifikats
        <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required={!remembered} ref={passwordField} />
      </label>
      {remembered ? (
        <p className="muted small">
          Das Passwort ist in der sicheren Ablage des Betriebssystems gespeichert.{' '}
          <button type="button" className="link" onClick={() => void forget({ certificate })}>
            Gespeichertes Passwort vergessen
          </button>
        </p>
      ) : (
        <label className="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Passwort in der sicheren Ablage des Betriebssystems merken
        </label>
      )}
      <fieldset>
        <legend>Versandweg</legend>
        <label className="check">
          <input type="radio" name="channel" checked={channel === 'post'} onChange={() => setChannel('post')} /> Post (Bekanntgabe am vierten Tag nach Aufgabe)
        </label>
        <label className="check">
          <input type="radio" name="channel" checked={channel === 'portal'} onChange={() => setChannel('portal')} /> Portal (Bekanntgabe am Tag nach dem Abruf)
        </label>
      </fieldset>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={!password && !remembered}>
        Weiter zur Zusammenfassung
      </button>
    </form>
  )
}

function SendConfirmation({
  c,
  channel,
  certificateLabel,
  busy,
  onBack,
  onSend,
}: {
  c: CaseDetail
  channel: 'post' | 'portal'
  certificateLabel: string
  busy: boolean
  onBack: () => void
  onSend: () => void
}) {
  const { data: s, error } = useApiQuery('notices.summary', { id: c.id, channel })
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <section className="action-form" aria-labelledby="confirm-title">
      <h2 id="confirm-title" tabIndex={-1} ref={heading}>Bescheid prüfen und versenden</h2>
      <p className="muted small">Schritt 2 von 2: Erst mit „Jetzt signieren und versenden“ wird der Bescheid signiert und verschickt.</p>
      <ErrorMessage error={error} />
      {s && (
        <dl className="form-view" data-testid="send-summary">
          <div>
            <dt>Empfänger</dt>
            <dd>
              {s.addressee.map((l) => (
                <span key={l} className="line">
                  {l}
                  <br />
                </span>
              ))}
            </dd>
          </div>
          <div>
            <dt>Ergebnis</dt>
            <dd>{s.outcomeLabel}</dd>
          </div>
          {s.amounts.map((a) => (
            <div key={a.label}>
              <dt>{a.label}</dt>
              <dd>{a.value}</dd>
            </div>
          ))}
          <div>
            <dt>Versandweg</dt>
            <dd>{s.channelLabel}</dd>
          </div>
          <div>
            <dt>Versanddatum</dt>
            <dd>{formatDate(s.dispatchDate)}</dd>
          </div>
          <div>
            <dt>Bekanntgabe</dt>
            <dd>{s.deliveredOn ? formatDate(s.deliveredOn) : 'am Tag nach dem Abruf im Portal'}</dd>
          </div>
          <div>
            <dt>Widerspruchsfrist endet</dt>
            <dd>{s.objectionEnd ? formatDate(s.objectionEnd) : 'einen Monat nach Bekanntgabe'}</dd>
          </div>
          <div>
            <dt>Signatur</dt>
            <dd>{certificateLabel}</dd>
          </div>
        </dl>
      )}
      {channel === 'post' && <p className="muted small">Nach dem Signieren steht der Bescheid im Postausgang als Druckexemplar bereit.</p>}
      <div className="action-row">
        <button type="button" onClick={onSend} disabled={busy || !s}>
          {busy ? 'Wird signiert …' : 'Jetzt signieren und versenden'}
        </button>
        <button type="button" className="secondary" onClick={onBack} disabled={busy}>
          Zurück
        </button>
      </div>
    </section>
  )
}

function LateNotice({ c, datedOn }: { c: CaseDetail; datedOn: string }) {
  const [confirm, state] = useApiMutation('notices.confirmLate')
  return (
    <div role="alert" className="error">
      <p>
        Der Bescheid vom {formatDate(datedOn)} liegt noch im Postausgang (der Arbeitsplatz war offline) und wird zurückgehalten. Er geht erst nach Ihrer
        Freigabe hinaus – mit heutigem Versanddatum; Bekanntgabe und Widerspruchsfrist werden neu berechnet.
      </p>
      <ErrorMessage error={state.error} />
      <button type="button" onClick={() => void confirm({ id: c.id })} disabled={state.isLoading}>
        Versand mit heutigem Datum freigeben
      </button>
    </div>
  )
}
