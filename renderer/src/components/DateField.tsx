import { useEffect, useId, useRef, useState } from 'react'
import { formatGermanDate, parseGermanDate } from '../../../common/germanDates'

/**
 * A German date field: one text input (TT.MM.JJJJ, one Tab stop), independent of the browser's
 * locale. The value is an ISO date („2027-01-15“) or '' while empty or invalid. An invalid entry
 * keeps its text, shows a German message and blocks the form's submit (custom validity).
 */
export function DateField(props: {
  label: string
  value: string
  onChange: (iso: string) => void
  required?: boolean
  min?: string
  max?: string
  autoFocus?: boolean
  className?: string
  /** A hint shown under the field and read with it. */
  hint?: string
}) {
  const { label, value, onChange, required, min, max } = props
  const id = useId()
  const [text, setText] = useState(formatGermanDate(value))
  const [seen, setSeen] = useState(value)
  const [touched, setTouched] = useState(false)
  const input = useRef<HTMLInputElement | null>(null)
  const check = (t: string) =>
    t.trim() === '' && !required
      ? null
      : parseGermanDate(t, { ...(min ? { min } : {}), ...(max ? { max } : {}) })
  const parsed = check(text)
  // A new value from outside (reset, prefill) replaces the text unless the text already means it.
  if (value !== seen) {
    setSeen(value)
    if (!(parsed?.ok && parsed.value === value)) setText(formatGermanDate(value))
  }
  const message = parsed && !parsed.ok ? parsed.message : ''
  useEffect(() => input.current?.setCustomValidity(message), [message])
  return (
    <div className={`date-field ${props.className ?? ''}`}>
      <label>
        {label}
        <input
          ref={input}
          type="text"
          className="date-input"
          placeholder="TT.MM.JJJJ"
          autoComplete="off"
          value={text}
          required={required}
          autoFocus={props.autoFocus}
          aria-invalid={touched && message ? true : undefined}
          aria-describedby={
            [props.hint ? `${id}-hint` : '', touched && message ? `${id}-error` : '']
              .filter(Boolean)
              .join(' ') || undefined
          }
          onChange={(e) => {
            const t = e.target.value
            setText(t)
            const p = check(t)
            const next = p === null ? '' : p.ok ? p.value : ''
            setSeen(next)
            if (next !== value) onChange(next)
          }}
          onBlur={() => setTouched(true)}
          onInvalid={() => setTouched(true)}
        />
      </label>
      {props.hint && (
        <span id={`${id}-hint`} className="muted small">
          {props.hint}
        </span>
      )}
      {touched && message && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {message}
        </span>
      )}
    </div>
  )
}
