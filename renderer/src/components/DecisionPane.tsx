import { useState, type FormEvent } from 'react'
import type { CaseDetail, DecisionFieldDef, DecisionFieldValue, DecisionView, HearingRecord, Outcome } from '../../../preload/contract'
import { useNoticesConfirmLateMutation, useNoticesForgetPasswordMutation, useDecisionsCosignMutation, useDecisionsDecideMutation, useDecisionsGetQuery, useNoticesIssueMutation, useNoticesPreviewQuery } from '../api/api'
import { fromFormValues, toFormValues } from '../../../preload/decisionForm'
import { formatMoney } from '../../../preload/germanNumbers'
import { formatDate, formatDateTime } from '../labels'
import { ErrorMessage } from './ErrorMessage'
import { PdfViewer } from './LazyPdfViewer'

const decode = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))

/** Entscheidung → (Mitzeichnung) → Vorschau → Signieren und Versenden. */
export function DecisionPane({ c }: { c: CaseDetail }) {
  const { data: view, error } = useDecisionsGetQuery({ id: c.id })
  const [editing, setEditing] = useState(false)
  if (error) return <ErrorMessage error={error} />
  if (!view) return <p>Lädt …</p>
  const d = view.decision
  return (
    <div className="decision">
      {d && !editing && <DecisionSummary view={view} />}
      {view.noticeLate && <LateNotice c={c} datedOn={view.noticeLate.dispatchDate} />}
      {view.canCosign && <CosignBox c={c} />}
      {view.canDecide && (editing || !d) && <DecisionForm c={c} view={view} onDone={() => setEditing(false)} />}
      {view.canDecide && d && !editing && !d.dispatchDate && (
        <button type="button" className="secondary" onClick={() => setEditing(true)}>
          Entscheidung ändern
        </button>
      )}
      {d && !d.dispatchDate && <NoticePreview c={c} view={view} />}
      {view.canIssue && <IssueForm c={c} view={view} />}
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

function DecisionSummary({ view }: { view: DecisionView }) {
  const d = view.decision!
  const outcome = view.outcomes.find((o) => o.value === d.outcome)
  return (
    <section aria-labelledby="decision-title" className="decision-summary">
      <h2 id="decision-title">Entscheidung: {outcome?.label ?? d.outcome}</h2>
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
          <dt>Entschieden</dt>
          <dd>
            {d.decidedBy}, {formatDateTime(d.decidedAt)}
          </dd>
        </div>
        {d.cosignRequired && (
          <div>
            <dt>Mitzeichnung</dt>
            <dd>{d.cosignedAt ? `${d.cosignedBy ?? ''}, ${formatDateTime(d.cosignedAt)}` : 'ausstehend – wartet auf die Sachgebietsleitung'}</dd>
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
    </section>
  )
}

function DecisionForm({ c, view, onDone }: { c: CaseDetail; view: DecisionView; onDone: () => void }) {
  const current = view.decision
  const [outcome, setOutcome] = useState<Outcome>(current?.outcome ?? view.outcomes[0]?.value ?? 'stattgegeben')
  const def = view.outcomes.find((o) => o.value === outcome)
  const allDefs = view.outcomes.flatMap((o) => o.fields)
  const [values, setValues] = useState<Record<string, string>>(() => toFormValues({ ...view.prefill, ...current?.fields }, allDefs))
  const [fieldErrors, setFieldErrors] = useState<string[]>([])
  const [reasons, setReasons] = useState(current?.reasons ?? def?.reasonsSkeleton ?? '')
  const [hearingMode, setHearingMode] = useState<'done' | 'dispensable' | 'none'>(current?.hearing ? (current.hearing.done ? 'done' : 'dispensable') : 'none')
  const [hearingDate, setHearingDate] = useState(current?.hearing?.done ? current.hearing.date : '')
  const [hearingReason, setHearingReason] = useState(current?.hearing && !current.hearing.done ? current.hearing.dispensableReason : '')
  const [decide, state] = useDecisionsDecideMutation()
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const { fields, errors } = fromFormValues(values, def?.fields ?? [], current?.fields)
    setFieldErrors(errors.map((x) => x.message))
    if (errors.length) return
    const hearing: HearingRecord | undefined =
      hearingMode === 'done' && hearingDate ? { done: true, date: hearingDate } : hearingMode === 'dispensable' ? { done: false, dispensableReason: hearingReason } : undefined
    const res = await decide({ id: c.id, outcome, fields, reasons, ...(hearing ? { hearing } : {}) })
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
              onChange={() => {
                setOutcome(o.value)
                if (!current) setReasons(o.reasonsSkeleton)
              }}
            />{' '}
            {o.label}
          </label>
        ))}
      </fieldset>
      {def?.fields.map((f) => (
        <label key={f.name}>
          {f.label}
          {f.required ? ' *' : ''}
          {f.type === 'list' ? (
            <textarea rows={3} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} aria-describedby={f.hint ? `hint-${f.name}` : undefined} />
          ) : (
            <input
              type={f.type === 'date' ? 'date' : 'text'}
              inputMode={f.type === 'money' ? 'decimal' : undefined}
              value={values[f.name] ?? ''}
              required={f.required}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              aria-describedby={f.hint ? `hint-${f.name}` : undefined}
            />
          )}
          {f.hint && (
            <span id={`hint-${f.name}`} className="muted small">
              {f.hint}
              {f.type === 'list' ? ' (eine Angabe je Zeile)' : ''}
            </span>
          )}
        </label>
      ))}
      <label>
        Begründung
        <textarea rows={8} value={reasons} onChange={(e) => setReasons(e.target.value)} />
      </label>
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
          <label>
            Datum der Anhörung
            <input type="date" value={hearingDate} onChange={(e) => setHearingDate(e.target.value)} required />
          </label>
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

function CosignBox({ c }: { c: CaseDetail }) {
  const [cosign, state] = useDecisionsCosignMutation()
  return (
    <section className="action-form" aria-label="Mitzeichnung">
      <p>Diese Entscheidung erfordert die Mitzeichnung der Sachgebietsleitung (Vier-Augen-Prinzip).</p>
      <ErrorMessage error={state.error} />
      <button type="button" onClick={() => void cosign({ id: c.id })} disabled={state.isLoading}>
        Mitzeichnen
      </button>
    </section>
  )
}

function NoticePreview({ c, view }: { c: CaseDetail; view: DecisionView }) {
  const [show, setShow] = useState(false)
  const { data, error, isFetching } = useNoticesPreviewQuery({ id: c.id }, { skip: !show })
  return (
    <section aria-labelledby="preview-title" className="notice-preview">
      <h2 id="preview-title">Bescheid</h2>
      {view.missing.length > 0 ? (
        <div role="alert" className="error">
          <p>Der Bescheid kann noch nicht signiert werden. Es fehlt:</p>
          <ul data-testid="missing-parts">
            {view.missing.map((m) => (
              <li key={m.code + m.messageDe}>{m.messageDe}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">Der Bescheid ist vollständig und kann signiert werden.</p>
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

function IssueForm({ c, view }: { c: CaseDetail; view: DecisionView }) {
  const [certificate, setCertificate] = useState(view.certificates[0]?.value ?? 'seal')
  const [password, setPassword] = useState('')
  const [channel, setChannel] = useState<'post' | 'portal'>('post')
  const [remember, setRemember] = useState(false)
  const [issue, state] = useNoticesIssueMutation()
  const [forget] = useNoticesForgetPasswordMutation()
  const remembered = view.certificates.find((x) => x.value === certificate)?.passwordRemembered ?? false
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    await issue({ id: c.id, certificate, channel, ...(password ? { password, remember } : {}) })
    setPassword('')
  }
  if (view.missing.length > 0) return null
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} aria-label="Signieren und versenden">
      <h2>Signieren und versenden</h2>
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
        <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required={!remembered} />
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
      <button type="submit" disabled={state.isLoading || (!password && !remembered)}>
        {state.isLoading ? 'Wird signiert …' : 'Signieren und versenden'}
      </button>
    </form>
  )
}

function LateNotice({ c, datedOn }: { c: CaseDetail; datedOn: string }) {
  const [confirm, state] = useNoticesConfirmLateMutation()
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
