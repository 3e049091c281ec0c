// The notice: preview, sign and send in two steps (summary, confirmation), the late release.
import { useEffect, useRef, useState } from 'react'
import type { CaseDetail, DecisionView } from '../../../../preload/contract'
import { useApiMutation, useApiQuery } from '../../api/api'
import { formatDate } from '../../labels'
import { ErrorMessage } from '../ErrorMessage'
import { PdfViewer } from '../LazyPdfViewer'
import { decode } from './shared'

export function NoticePreview({ c, view }: { c: CaseDetail; view: DecisionView }) {
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
          <p>
            Der Bescheid kann noch nicht signiert werden.{' '}
            {d?.draft ? 'Außerdem fehlt:' : 'Es fehlt:'}
          </p>
          <ul data-testid="missing-parts">
            {missing.map((m) => (
              <li key={m.code + m.messageDe}>{m.messageDe}</li>
            ))}
          </ul>
        </div>
      ) : view.cosignPending ? (
        <p className="muted" data-testid="notice-state">
          Der Bescheid ist vollständig. Signiert werden kann er erst nach der Mitzeichnung durch die
          Sachgebietsleitung.
        </p>
      ) : d?.returned ? (
        <p className="muted" data-testid="notice-state">
          Die Sachgebietsleitung hat die Entscheidung zurückgegeben. Signiert werden kann erst nach
          erneuter Vorlage und Mitzeichnung.
        </p>
      ) : (
        <p className="muted" data-testid="notice-state">
          Der Bescheid ist vollständig und kann signiert werden.
        </p>
      )}
      <button
        type="button"
        className="secondary"
        onClick={() => setShow(!show)}
        aria-expanded={show}
      >
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
export function IssueForm({
  c,
  view,
  onSent,
}: {
  c: CaseDetail
  view: DecisionView
  onSent: () => void
}) {
  const [certificate, setCertificate] = useState(view.certificates[0]?.value ?? 'seal')
  const [password, setPassword] = useState('')
  const [channel, setChannel] = useState<'post' | 'portal'>('post')
  const [remember, setRemember] = useState(false)
  const [step, setStep] = useState<'choose' | 'confirm'>('choose')
  const [issue, state] = useApiMutation('notices.issue')
  const [forget] = useApiMutation('notices.forgetPassword')
  const remembered =
    view.certificates.find((x) => x.value === certificate)?.passwordRemembered ?? false
  // back from the summary (Zurück, or a wrong password): the cursor is in the password field
  const passwordField = useRef<HTMLInputElement>(null)
  const [returned, setReturned] = useState(false)
  useEffect(() => {
    if (returned && step === 'choose') passwordField.current?.focus()
  }, [returned, step])
  const send = async () => {
    const res = await issue({
      id: c.id,
      certificate,
      channel,
      ...(password ? { password, remember } : {}),
    })
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
        certificateLabel={
          view.certificates.find((x) => x.value === certificate)?.label ?? certificate
        }
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
      <p className="muted small">
        Schritt 1 von 2: Zertifikat und Versandweg wählen. Vor dem Versand sehen Sie eine
        Zusammenfassung.
      </p>
      <label>
        Zertifikat
        <select
          value={certificate}
          onChange={(e) => setCertificate(e.target.value as 'personal' | 'seal')}
        >
          {view.certificates.map((x) => (
            <option key={x.value} value={x.value}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Passwort des Zertifikats
        <input
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required={!remembered}
          ref={passwordField}
        />
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
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
          />{' '}
          Passwort in der sicheren Ablage des Betriebssystems merken
        </label>
      )}
      <fieldset>
        <legend>Versandweg</legend>
        <label className="check">
          <input
            type="radio"
            name="channel"
            checked={channel === 'post'}
            onChange={() => setChannel('post')}
          />{' '}
          Post (Bekanntgabe am vierten Tag nach Aufgabe)
        </label>
        <label className="check">
          <input
            type="radio"
            name="channel"
            checked={channel === 'portal'}
            onChange={() => setChannel('portal')}
          />{' '}
          Portal (Bekanntgabe am Tag nach dem Abruf)
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
      <h2 id="confirm-title" tabIndex={-1} ref={heading}>
        Bescheid prüfen und versenden
      </h2>
      <p className="muted small">
        Schritt 2 von 2: Erst mit „Jetzt signieren und versenden“ wird der Bescheid signiert und
        verschickt.
      </p>
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
            <dt>{s.objection.name}sfrist endet</dt>
            <dd>
              {s.objectionEnd
                ? `${formatDate(s.objectionEnd)} (${s.objection.period}, ${s.objection.norm})`
                : `${s.objection.period} nach Bekanntgabe`}
            </dd>
          </div>
          <div>
            <dt>Signatur</dt>
            <dd>{certificateLabel}</dd>
          </div>
        </dl>
      )}
      {channel === 'post' && (
        <p className="muted small">
          Nach dem Signieren steht der Bescheid im Postausgang als Druckexemplar bereit.
        </p>
      )}
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

export function LateNotice({ c, datedOn }: { c: CaseDetail; datedOn: string }) {
  const [confirm, state] = useApiMutation('notices.confirmLate')
  return (
    <div role="alert" className="error">
      <p>
        Der Bescheid vom {formatDate(datedOn)} liegt noch im Postausgang (der Arbeitsplatz war
        offline) und wird zurückgehalten. Er geht erst nach Ihrer Freigabe hinaus – mit heutigem
        Versanddatum; Bekanntgabe und Widerspruchsfrist werden neu berechnet.
      </p>
      <ErrorMessage error={state.error} />
      <button type="button" onClick={() => void confirm({ id: c.id })} disabled={state.isLoading}>
        Versand mit heutigem Datum freigeben
      </button>
    </div>
  )
}
