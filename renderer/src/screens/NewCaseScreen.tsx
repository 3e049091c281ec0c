import { useState, type FormEvent, type ReactNode } from 'react'
import {
  applicantFrom,
  toFormData,
  type IntakeField,
  type IntakeValues,
} from '../../../preload/contract/intakeForm'
import { useApiMutation, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { DateField } from '../components/DateField'
import { href, navigate } from '../router'

const MAX = 20 * 1024 * 1024

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** „Antrag erfassen“: a paper or phone application typed in by hand, with attachments from disk. */
export function NewCaseScreen() {
  const { data: info } = useApiQuery('app.info', {})
  const [create, state] = useApiMutation('intake.create')
  const [procedureId, setProcedureIdNow] = useState('')
  const { data: schema } = useApiQuery('intake.formFields', { procedureId }, { skip: !procedureId })
  const fields = procedureId ? (schema?.fields ?? []) : []
  const [values, setValues] = useState<IntakeValues>({})
  const [formErrors, setFormErrors] = useState<string[]>([])
  const [assignToMe, setAssignToMe] = useState(true)
  const setProcedureId = (id: string) => {
    setProcedureIdNow(id)
    setValues({})
    setFormErrors([])
  }
  const fromForm = applicantFrom(values)
  const hasApplicantGroup = fields.some((f) => f.path === 'antragsteller')
  const [channel, setChannel] = useState<'paper' | 'phone'>('paper')
  const [name, setName] = useState('')
  const [address, setAddress] = useState('')
  const [subject, setSubject] = useState('')
  const [receivedOn, setReceivedOn] = useState(info?.today ?? '')
  const [files, setFiles] = useState<File[]>([])
  const [fileError, setFileError] = useState<string | null>(null)
  const canWork = info?.user.role === 'clerk' || info?.user.role === 'lead'
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const tooBig = files.find((f) => f.size > MAX)
    if (tooBig) return setFileError(`„${tooBig.name}“ ist größer als 20 MB.`)
    const { data: formData, errors } = toFormData(fields, values)
    setFormErrors(errors)
    if (errors.length) return
    const attachments = await Promise.all(
      files.map(async (f) => ({
        filename: f.name,
        mimeType: f.type || 'application/octet-stream',
        base64: toBase64(await f.arrayBuffer()),
      })),
    )
    const res = await create({
      procedureId,
      applicantName: name.trim() || fromForm.name,
      applicantAddress: address.trim() || fromForm.address,
      channel,
      attachments,
      formData,
      assignToMe: assignToMe && canWork,
      ...(receivedOn ? { receivedOn } : {}),
      ...(subject ? { subject } : {}),
    })
    if ('data' in res && res.data) navigate(href.case(res.data.caseId))
  }
  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">Antrag erfassen</h1>
      <p className="muted">
        Für Anträge auf Papier oder am Telefon. Das Aktenzeichen kommt aus dem reservierten
        Nummernkreis – auch offline.
      </p>
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
            <input
              type="radio"
              name="channel"
              checked={channel === 'paper'}
              onChange={() => setChannel('paper')}
            />{' '}
            Papier (Post, Schalter)
          </label>
          <label className="check">
            <input
              type="radio"
              name="channel"
              checked={channel === 'phone'}
              onChange={() => setChannel('phone')}
            />{' '}
            Telefon
          </label>
        </fieldset>
        <DateField
          label="Eingangsdatum (Eingangsstempel)"
          value={receivedOn}
          onChange={setReceivedOn}
          required
          {...(info ? { max: info.today } : {})}
          hint="Die gesetzliche Bearbeitungsfrist läuft ab diesem Tag."
        />
        <label>
          Name der antragstellenden Person
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required={!hasApplicantGroup || !fromForm.name}
            placeholder={
              hasApplicantGroup
                ? fromForm.name || 'oder unten unter „Antragstellerin / Antragsteller“'
                : undefined
            }
            autoComplete="off"
          />
        </label>
        <label>
          Anschrift (Straße Nr., PLZ Ort)
          <input
            type="text"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            required={!hasApplicantGroup || !fromForm.address}
            placeholder={
              hasApplicantGroup
                ? fromForm.address || 'oder unten unter „Antragstellerin / Antragsteller“'
                : undefined
            }
            autoComplete="off"
          />
        </label>
        <label>
          Betreff (optional)
          <input type="text" value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        {fields.length > 0 && (
          <fieldset className="intake-form" data-testid="intake-form">
            <legend>Angaben aus dem Antragsformular</legend>
            <p className="muted small">
              Mit * markierte Angaben schreibt das Formular vor; was fehlt, kann später
              nachgefordert werden.
            </p>
            <FormFields
              fields={fields}
              values={values}
              onChange={(path, v) => setValues({ ...values, [path]: v })}
            />
          </fieldset>
        )}
        {formErrors.length > 0 && (
          <div role="alert" className="error">
            {formErrors.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {canWork && (
          <label className="check">
            <input
              type="checkbox"
              checked={assignToMe}
              onChange={(e) => setAssignToMe(e.target.checked)}
            />{' '}
            Ich bearbeite den Vorgang selbst (als zuständig eintragen)
          </label>
        )}
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

/** The schema's fields: objects as fieldsets, dates as German date fields, numbers typed in German. */
function FormFields({
  fields,
  values,
  onChange,
}: {
  fields: IntakeField[]
  values: IntakeValues
  onChange: (path: string, v: string | boolean) => void
}) {
  const out: ReactNode[] = []
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    const label = `${f.label}${f.required ? ' *' : ''}`
    if (f.kind === 'group') {
      const inner: IntakeField[] = []
      while (fields[i + 1] && fields[i + 1]!.depth > f.depth) inner.push(fields[++i]!)
      out.push(
        <fieldset key={f.path}>
          <legend>{label}</legend>
          <FormFields fields={inner} values={values} onChange={onChange} />
        </fieldset>,
      )
      continue
    }
    const text = typeof values[f.path] === 'string' ? (values[f.path] as string) : ''
    if (f.kind === 'date')
      out.push(
        <DateField key={f.path} label={label} value={text} onChange={(v) => onChange(f.path, v)} />,
      )
    else if (f.kind === 'boolean')
      out.push(
        <label key={f.path} className="check">
          <input
            type="checkbox"
            checked={values[f.path] === true}
            onChange={(e) => onChange(f.path, e.target.checked)}
          />{' '}
          {label}
        </label>,
      )
    else if (f.kind === 'enum')
      out.push(
        <label key={f.path}>
          {label}
          <select value={text} onChange={(e) => onChange(f.path, e.target.value)}>
            <option value="">– keine Angabe –</option>
            {f.options?.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>,
      )
    else
      out.push(
        <label key={f.path}>
          {label}
          <input
            type="text"
            inputMode={f.kind === 'number' ? 'decimal' : undefined}
            value={text}
            onChange={(e) => onChange(f.path, e.target.value)}
            autoComplete="off"
          />
        </label>,
      )
  }
  return <>{out}</>
}
