import { useEffect, useRef, useState } from 'react'
import { href, navigate } from '../router'

const shortcuts: [string, string][] = [
  ['/', 'Suche öffnen'],
  ['Alt+1 … Alt+5', 'Posteingang, Meine Vorgänge, Wiedervorlagen, Überfällig, Alle'],
  ['↑ / ↓, Bild ↑ / Bild ↓, Pos1 / Ende', 'in einer Liste bewegen'],
  ['Eingabe', 'markierten Vorgang öffnen'],
  ['← / →', 'zwischen den Bereichen eines Vorgangs wechseln'],
  ['Alt+←', 'zurück'],
  ['?', 'diese Hilfe anzeigen'],
  ['Esc', 'Hilfe schließen'],
]
const views = ['posteingang', 'meine', 'wiedervorlage', 'ueberfaellig', 'alle'] as const

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))

/** Global keyboard shortcuts and the help overlay that lists them. */
export function Shortcuts() {
  const [open, setOpen] = useState(false)
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && /^[1-5]$/.test(e.key)) {
        navigate(href.list(views[Number(e.key) - 1]!))
        e.preventDefault()
        return
      }
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
      if (e.key === '/') {
        navigate(href.search(''))
        e.preventDefault()
      } else if (e.key === '?') {
        setOpen(true)
        e.preventDefault()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  useEffect(() => {
    if (open) dialog.current?.showModal()
    else dialog.current?.close()
  }, [open])
  return (
    <dialog ref={dialog} aria-labelledby="help-title" onClose={() => setOpen(false)} className="help">
      <h2 id="help-title">Tastenkürzel</h2>
      <table>
        <tbody>
          {shortcuts.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setOpen(false)}>
        Schließen
      </button>
    </dialog>
  )
}
