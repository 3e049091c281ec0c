import { useEffect, useRef, useState } from 'react'
import { href, navigate, requestListFocus } from '../router'

const groups: { title: string; keys: [string, string][] }[] = [
  {
    title: 'Überall',
    keys: [
      ['/', 'Suche öffnen'],
      [
        'Alt+1 … Alt+5',
        'Posteingang, Meine Vorgänge, Wiedervorlagen, Überfällig, Alle (die Liste erhält den Fokus)',
      ],
      ['Alt+←', 'zurück'],
      ['?', 'diese Hilfe anzeigen'],
      ['Esc', 'Hilfe oder geöffnetes Formular schließen'],
    ],
  },
  {
    title: 'In einer Liste',
    keys: [
      ['↑ / ↓, Bild ↑ / Bild ↓, Pos1 / Ende', 'in der Liste bewegen'],
      ['Eingabe', 'markierten Vorgang öffnen'],
      ['Leertaste', 'markierten Vorgang auswählen (Sammelaktionen)'],
    ],
  },
  {
    title: 'In einem Vorgang',
    keys: [
      ['← / →', 'zwischen den Bereichen (Antrag, Dokumente, Verlauf …) wechseln'],
      ['U', 'Übernehmen'],
      ['V', 'Vermerk anlegen'],
      ['T', 'Telefonat vermerken'],
      ['W', 'Wiedervorlage setzen'],
      ['N', 'Unterlagen nachfordern'],
      ['E', 'Bereich „Entscheidung“ öffnen'],
      ['Strg+Eingabe', 'geöffnetes Formular speichern'],
    ],
  },
  {
    title: 'In Datumsfeldern',
    keys: [['TT.MM.JJJJ', 'Datum tippen, z. B. 15.01.2027 oder 15012027']],
  },
]
/** Action keys in a case: the key → the button that carries data-action. */
const actionKeys: Record<string, string> = {
  u: 'take',
  v: 'note',
  t: 'phone',
  w: 'followUp',
  n: 'request',
}
const views = ['posteingang', 'meine', 'wiedervorlage', 'ueberfaellig', 'alle'] as const

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))

/** Global keyboard shortcuts and the help overlay that lists them. */
export function Shortcuts() {
  const [open, setOpen] = useState(false)
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && /^[1-5]$/.test(e.key)) {
        requestListFocus()
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
      } else if (actionKeys[e.key.toLowerCase()] && !document.querySelector('dialog[open]')) {
        const button = document.querySelector<HTMLButtonElement>(
          `.actions [data-action="${actionKeys[e.key.toLowerCase()]}"]`,
        )
        if (button && !button.disabled) {
          if (button.getAttribute('aria-expanded') !== 'true') button.click()
          e.preventDefault()
        }
      } else if (e.key.toLowerCase() === 'e') {
        const tab = document.getElementById('tab-entscheidung')
        if (tab instanceof HTMLAnchorElement) {
          tab.click()
          requestAnimationFrame(() => document.getElementById('tab-entscheidung')?.focus())
          e.preventDefault()
        }
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
    <dialog
      ref={dialog}
      aria-labelledby="help-title"
      onClose={() => setOpen(false)}
      className="help"
    >
      <h2 id="help-title">Tastenkürzel</h2>
      <div
        className="help-body"
        tabIndex={0}
        aria-label="Liste der Tastenkürzel"
        data-testid="help-body"
      >
        {groups.map((g) => (
          <table key={g.title}>
            <caption>{g.title}</caption>
            <tbody>
              {g.keys.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">
                    <kbd>{k}</kbd>
                  </th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <button type="button" onClick={() => setOpen(false)}>
        Schließen
      </button>
    </dialog>
  )
}
