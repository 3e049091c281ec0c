import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDate, statusLabel } from '../labels'
import { href, navigate } from '../router'

/**
 * The index's German folding (main/features/cases/search.ts), done here char by char so every folded
 * char remembers which source chars it came from and highlights land on the original text.
 */
function foldWithMap(text: string): { folded: string; from: [number, number][] } {
  const chars = [...text]
  let folded = ''
  const from: [number, number][] = []
  for (let i = 0; i < chars.length; i++) {
    const ch = (chars[i] ?? '').toLowerCase()
    const next = chars[i + 1]?.toLowerCase()
    if ((ch === 'a' || ch === 'o' || ch === 'u') && next === 'e') {
      folded += ch
      from.push([i, i + 1])
      i++
      continue
    }
    const f = ch
      .replace('ä', 'a')
      .replace('ö', 'o')
      .replace('ü', 'u')
      .replace('ß', 'ss')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
    for (const c of f) {
      folded += c
      from.push([i, i])
    }
  }
  return { folded, from }
}

export function highlight(text: string, query: string): ReactNode {
  const words = query
    .split(/\s+/)
    .map((w) => foldWithMap(w).folded)
    .filter((w) => w.length >= 2)
  if (!words.length) return text
  const chars = [...text]
  const { folded, from } = foldWithMap(text)
  const marks = new Array<boolean>(chars.length).fill(false)
  for (const w of words) {
    for (let at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + 1)) {
      for (let k = at; k < at + w.length; k++) {
        const [a, b] = from[k] ?? [0, -1]
        for (let j = a; j <= b; j++) marks[j] = true
      }
    }
  }
  const out: ReactNode[] = []
  let buf = ''
  let on = false
  chars.forEach((ch, i) => {
    if (marks[i] !== on) {
      if (buf) out.push(on ? <mark key={i}>{buf}</mark> : buf)
      buf = ''
      on = marks[i] ?? false
    }
    buf += ch
  })
  if (buf) out.push(on ? <mark key="end">{buf}</mark> : buf)
  return out
}

export function SearchScreen({ q }: { q: string }) {
  const [text, setText] = useState(q)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  const { data, error, isFetching } = useApiQuery(
    'cases.search',
    { query: q, limit: 50 },
    { skip: q.trim().length === 0 },
  )
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Suche</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          navigate(href.search(text))
        }}
      >
        <label htmlFor="search-input">Aktenzeichen, Name, Adresse oder Text</label>{' '}
        <input
          id="search-input"
          ref={input}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />{' '}
        <button type="submit">Suchen</button>
      </form>
      <ErrorMessage error={error} />
      {isFetching && <p>Suche läuft …</p>}
      {data && (
        <>
          <p role="status">
            {data.rows.length === 0 ? 'Keine Treffer.' : `${data.rows.length} Treffer`}
          </p>
          <ul className="results">
            {data.rows.map((r) => (
              <li key={r.id}>
                <a href={href.case(r.id)} data-testid="search-hit">
                  <strong>{highlight(r.aktenzeichen, q)}</strong> · {highlight(r.applicantName, q)}
                </a>
                <div className="muted">
                  {highlight(r.snippet, q)} · {statusLabel[r.status]} · Frist{' '}
                  {formatDate(r.deadline)}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
