import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import {
  caseStatuses,
  isDecided,
  type CaseStatus,
  type CaseSummary,
  type CaseView,
} from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { listColumns, type ListColumn } from '../../../preload/contract/index'
import { ErrorMessage } from '../components/ErrorMessage'
import { SelectionBar } from '../components/SelectionBar'
import { channelLabel, countLabel, formatDate, statusLabel, viewLabel } from '../labels'
import { href, navigate, takeListFocusRequest, type ListFilter } from '../router'
import { DateField } from '../components/DateField'

const PAGE = 100
const ROW_HEIGHT = 36
type Sort = 'deadline' | 'received' | 'aktenzeichen' | 'applicant'
const columnDefs: Record<ListColumn, { sort: Sort | null; label: string }> = {
  aktenzeichen: { sort: 'aktenzeichen', label: 'Aktenzeichen' },
  applicant: { sort: 'applicant', label: 'Antragsteller/in' },
  procedure: { sort: null, label: 'Verfahren' },
  status: { sort: null, label: 'Status' },
  assignee: { sort: null, label: 'Zuständig' },
  received: { sort: 'received', label: 'Eingang' },
  deadline: { sort: 'deadline', label: 'Frist' },
  followUp: { sort: null, label: 'Wiedervorlage' },
  channel: { sort: null, label: 'Eingangsweg' },
}
const isSort = (s: string | undefined): s is Sort =>
  ['deadline', 'received', 'aktenzeichen', 'applicant'].includes(s ?? '')

export function CaseList({ view, filter = {} }: { view: CaseView; filter?: ListFilter }) {
  const [sort, setSort] = useState<Sort>(isSort(filter.sort) ? filter.sort : 'deadline')
  const [direction, setDirection] = useState<'asc' | 'desc'>(filter.dir === 'desc' ? 'desc' : 'asc')
  const { data: prefs } = useApiQuery('views.list', {})
  const { data: users } = useApiQuery('session.users', {})
  const columns = (
    prefs?.columns ?? ['aktenzeichen', 'applicant', 'procedure', 'status', 'received', 'deadline']
  ).map((key) => ({ key, ...columnDefs[key] }))
  const userName = (id: string | null) =>
    id ? (users?.users.find((u) => u.userId === id)?.name ?? id) : '—'
  const [procedureId, setProcedureId] = useState(filter.procedureId ?? '')
  const [status, setStatus] = useState<CaseStatus | ''>(
    (filter.status as CaseStatus | undefined) ?? '',
  )
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [deadlineTo, setDeadlineTo] = useState(filter.deadlineTo ?? '')
  const [active, setActive] = useState(0)
  const { data: info } = useApiQuery('app.info', {})
  const parentRef = useRef<HTMLDivElement>(null)
  const rowRefs = useRef(new Map<number, HTMLTableRowElement>())

  const fixed = {
    ...(filter.assignee ? { assignee: filter.assignee } : {}),
    ...(filter.deadlineFrom ? { deadlineFrom: filter.deadlineFrom } : {}),
    ...(deadlineTo ? { deadlineTo } : {}),
    ...(filter.openOnly ? { openOnly: true } : {}),
  }
  const base = {
    view,
    sort,
    direction,
    limit: PAGE,
    ...fixed,
    ...(procedureId ? { procedureId } : {}),
    ...(status ? { status } : {}),
  }
  const [firstVisible, setFirstVisible] = useState(0)
  const pageA = Math.floor(firstVisible / PAGE)
  const a = useApiQuery('cases.list', { ...base, offset: pageA * PAGE })
  const b = useApiQuery(
    'cases.list',
    { ...base, offset: (pageA + 1) * PAGE },
    { skip: !a.data || a.data.total <= (pageA + 1) * PAGE },
  )
  const total = a.data?.total ?? 0
  const rowAt = (i: number): CaseSummary | undefined => {
    const p = Math.floor(i / PAGE)
    if (p === pageA) return a.data?.rows[i - pageA * PAGE]
    if (p === pageA + 1) return b.data?.rows[i - (pageA + 1) * PAGE]
    return undefined
  }

  // The virtualizer's functions change every render by design; React Compiler skipping this component is intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  useEffect(() => setFirstVisible(first), [first])
  useEffect(() => {
    setActive(0)
    setSelected(new Set())
  }, [view, sort, direction, procedureId, status, deadlineTo])
  // Alt+1 … Alt+5: once the list has loaded, the grid has the focus (its first row), or the heading of an empty list.
  const listData = a.data
  useEffect(() => {
    if (!listData || !takeListFocusRequest()) return
    requestAnimationFrame(() =>
      (rowRefs.current.get(0) ?? document.getElementById('list-title'))?.focus(),
    )
  }, [listData])
  const loadedRows = [...(a.data?.rows ?? []), ...(b.data?.rows ?? [])]
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setSelected(next)
  }
  const allLoadedSelected = loadedRows.length > 0 && loadedRows.every((r) => selected.has(r.id))
  const fixedLabel = [
    filter.assignee ? `zuständig: ${userName(filter.assignee)}` : '',
    filter.openOnly ? 'offen' : '',
    filter.deadlineFrom ? `Frist ab ${formatDate(filter.deadlineFrom)}` : '',
  ].filter(Boolean)

  const procedureName = (id: string) => info?.procedures.find((p) => p.id === id)?.name ?? id
  const toggleSort = (key: Sort) => {
    if (key === sort) setDirection(direction === 'asc' ? 'desc' : 'asc')
    else {
      setSort(key)
      setDirection('asc')
    }
  }
  const focusRow = (i: number) => {
    const next = Math.max(0, Math.min(total - 1, i))
    setActive(next)
    virtualizer.scrollToIndex(next)
    requestAnimationFrame(() => rowRefs.current.get(next)?.focus())
  }
  const onKey = (e: KeyboardEvent, i: number) => {
    const row = rowAt(i)
    if (e.key === 'ArrowDown') focusRow(i + 1)
    else if (e.key === 'ArrowUp') focusRow(i - 1)
    else if (e.key === 'PageDown') focusRow(i + 15)
    else if (e.key === 'PageUp') focusRow(i - 15)
    else if (e.key === 'Home') focusRow(0)
    else if (e.key === 'End') focusRow(total - 1)
    else if (e.key === 'Enter' && row) navigate(href.case(row.id))
    else if (e.key === ' ' && row) toggle(row.id)
    else return
    e.preventDefault()
  }
  const cell = (key: ListColumn, row: CaseSummary) => {
    switch (key) {
      case 'aktenzeichen':
        return (
          <a href={href.case(row.id)} tabIndex={-1}>
            {row.aktenzeichen}
          </a>
        )
      case 'applicant':
        return row.applicantName
      case 'procedure':
        return procedureName(row.procedureId)
      case 'status':
        return statusLabel[row.status]
      case 'assignee':
        return userName(row.assignee)
      case 'received':
        return formatDate(row.receivedAt)
      case 'deadline':
        return formatDate(row.deadline)
      case 'followUp':
        return formatDate(row.followUp)
      case 'channel':
        return channelLabel[row.channel]
    }
  }
  const padTop = items[0]?.start ?? 0
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0)

  return (
    <section aria-labelledby="list-title" className="list-screen">
      <div className="list-head">
        <h1 id="list-title" tabIndex={-1}>
          {viewLabel[view]}
        </h1>
        <span className="muted" data-testid="list-total">
          {a.isFetching && !a.data ? 'lädt …' : countLabel(total, 'Vorgang', 'Vorgänge')}
        </span>
        <label>
          Verfahren{' '}
          <select value={procedureId} onChange={(e) => setProcedureId(e.target.value)}>
            <option value="">alle</option>
            {info?.procedures.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <DateField
          label="Frist bis "
          value={deadlineTo}
          onChange={setDeadlineTo}
          className="inline"
        />
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as CaseStatus | '')}>
            <option value="">alle</option>
            {caseStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ListTools
        view={view}
        sort={sort}
        direction={direction}
        procedureId={procedureId}
        status={status}
        columns={columns.map((c) => c.key)}
      />
      {fixedLabel.length > 0 && (
        <p className="filter-chip">
          Gefiltert: {fixedLabel.join(' · ')} · <a href={href.list(view)}>Filter aufheben</a>
        </p>
      )}
      {selected.size > 0 && (
        <SelectionBar ids={[...selected]} onDone={() => setSelected(new Set())} />
      )}
      <ErrorMessage error={a.error} />
      <div ref={parentRef} className="list-scroll">
        <table className="cases" aria-rowcount={total + 1}>
          <thead>
            <tr>
              <th scope="col" className="select-col">
                <input
                  type="checkbox"
                  aria-label="Alle geladenen Vorgänge auswählen"
                  checked={allLoadedSelected}
                  onChange={() =>
                    setSelected(
                      allLoadedSelected ? new Set() : new Set(loadedRows.map((r) => r.id)),
                    )
                  }
                />
              </th>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={
                    c.sort === sort ? (direction === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                >
                  {c.sort ? (
                    <button
                      type="button"
                      className="th-button"
                      onClick={() => toggleSort(c.sort as Sort)}
                    >
                      {c.label}
                      {c.sort === sort ? (direction === 'asc' ? ' ▲' : ' ▼') : ''}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
            {items.map((vi) => {
              const row = rowAt(vi.index)
              return (
                <tr
                  key={vi.key}
                  ref={(el) => {
                    if (el) rowRefs.current.set(vi.index, el)
                    else rowRefs.current.delete(vi.index)
                  }}
                  aria-rowindex={vi.index + 2}
                  tabIndex={vi.index === active ? 0 : -1}
                  className={`row ${row && row.deadline && info && row.deadline < info.today && !isDecided(row.status) ? 'overdue' : ''}`}
                  aria-selected={row ? selected.has(row.id) : undefined}
                  data-testid="case-row"
                  onFocus={() => setActive(vi.index)}
                  onKeyDown={(e) => onKey(e, vi.index)}
                  onDoubleClick={() => row && navigate(href.case(row.id))}
                  style={{ height: ROW_HEIGHT }}
                >
                  {row ? (
                    <>
                      <td className="select-col">
                        <input
                          type="checkbox"
                          tabIndex={-1}
                          aria-label={`${row.aktenzeichen} auswählen`}
                          checked={selected.has(row.id)}
                          onChange={() => toggle(row.id)}
                        />
                      </td>
                      {columns.map((col) => (
                        <td key={col.key}>{cell(col.key, row)}</td>
                      ))}
                    </>
                  ) : (
                    <td colSpan={columns.length + 1} className="muted">
                      lädt …
                    </td>
                  )}
                </tr>
              )
            })}
            {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
          </tbody>
        </table>
        {total === 0 && a.data && <p className="empty">Keine Vorgänge in dieser Liste.</p>}
      </div>
    </section>
  )
}

function ListTools(props: {
  view: CaseView
  sort: Sort
  direction: 'asc' | 'desc'
  procedureId: string
  status: CaseStatus | ''
  columns: ListColumn[]
}) {
  const [save, saveState] = useApiMutation('views.save')
  const [setColumns] = useApiMutation('views.setColumns')
  const [name, setName] = useState('')
  const toggleColumn = (c: ListColumn) => {
    const next = props.columns.includes(c)
      ? props.columns.filter((x) => x !== c)
      : listColumns.filter((x) => x === c || props.columns.includes(x))
    if (next.length) void setColumns({ columns: next })
  }
  return (
    <div className="list-tools">
      <details>
        <summary>Spalten</summary>
        <fieldset>
          <legend className="sr-only">Sichtbare Spalten</legend>
          {listColumns.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={props.columns.includes(c)}
                onChange={() => toggleColumn(c)}
              />{' '}
              {columnDefs[c].label}
            </label>
          ))}
        </fieldset>
      </details>
      <details>
        <summary>Ansicht speichern</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void save({
              name,
              view: props.view,
              sort: props.sort,
              direction: props.direction,
              ...(props.procedureId ? { procedureId: props.procedureId } : {}),
              ...(props.status ? { status: props.status } : {}),
            }).then(() => setName(''))
          }}
        >
          <label>
            Name{' '}
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>{' '}
          <button type="submit" disabled={saveState.isLoading || !name.trim()}>
            Speichern
          </button>
        </form>
      </details>
    </div>
  )
}
