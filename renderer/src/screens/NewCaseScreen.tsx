import { useState, type FormEvent } from 'react'
import { useApiMutation, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { href, navigate } from '../router'

const MAX = 20 * 1024 * 1024

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** „Antrag erfassen“: a paper or phone application typed in by hand, with attachments from disk. */
export function NewCaseScreen() {
  const { data: info } = useApiQuery('app.info', {})
  const [create, state] = useApiMutation('intake.create')
  const [procedureId, setProcedureId] = useState('')
  const [channel, setChannel] = useState<'paper' | 'phone'>('paper')
  const [name, setName] = useState('')
  const [address, setAddress] = useState('')
  const [subject, setSubject] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [fileError, setFileError] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const tooBig = files.find((f) => f.size > MAX)
    if (tooBig) return setFileError(`„${tooBig.name}“ ist größer als 20 MB.`)
    const attachments = await Promise.all(files.map(async (f) => ({ filename: f.name, mimeType: f.type || 'application/octet-stream', base64: toBase64(await f.arrayBuffer()) })))
    const res = await create({ procedureId, applicantName: name, applicantAddress: address, channel, attachments, ...(subject ? { subject } : {}) })
    if ('data' in res && res.data) navigate(href.case(res.data.caseId))
  }
  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">Antrag erfassen</h1>
      <p className="muted">Für Anträge auf Papier oder am Telefon. Das Aktenzeichen kommt aus dem reservierten Nummernkreis – auch offline.</p>
      <form className="action-form wide" onSubmit={(e) => void submit(e)}>
        <label>
          Verfahren
          <select value={procedureId} onChange={(e) => setProcedureId(e.target.value)} required>
            <option value="">– bitte wählen –</option>
            {info?.procedures.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Eingangsweg</legend>
          <label className="check">
            <input type="radio" name="channel" checked={channel === 'paper'} onChange={() => setChannel('paper')} /> Papier (Post, Schalter)
          </label>
          <label className="check">
            <input type="radio" name="channel" checked={channel === 'phone'} onChange={() => setChannel('phone')} /> Telefon
          </label>
        </fieldset>
        <label>
          Name der antragstellenden Person
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Anschrift (Straße Nr., PLZ Ort)
          <input type="text" value={address} onChange={(e) => setAddress(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Betreff (optional)
          <input type="text" value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <label>
          Anlagen (PDF, JPEG, PNG; je höchstens 20 MB)
          <input
            type="file"
            multiple
            accept="application/pdf,image/jpeg,image/png"
            onChange={(e) => {
              setFileError(null)
              setFiles([...(e.target.files ?? [])])
            }}
          />
        </label>
        {fileError && (
          <p role="alert" className="error">
            {fileError}
          </p>
        )}
        <ErrorMessage error={state.error} />
        <button type="submit" disabled={state.isLoading}>
          Vorgang anlegen
        </button>
      </form>
    </section>
  )
}
