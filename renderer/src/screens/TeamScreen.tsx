import { useMemo, useState, type FormEvent } from 'react'
import type { Dashboard, WorkloadRow } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { BalanceDialog } from '../components/BalanceDialog'
import { BarChart } from '../components/BarChart'
import { ErrorMessage } from '../components/ErrorMessage'
import { countLabel, formatDate } from '../labels'
import { DateField } from '../components/DateField'
import { href } from '../router'

const plus = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/** Drill-down links: every number opens the list of cases behind it. */
function drill(
  kind: 'open' | 'dueSoon' | 'overdue' | 'waiting',
  by: 'assignee' | 'procedureId',
  key: string,
  today: string,
): string {
  const who = { [by]: key }
  switch (kind) {
    case 'open':
      return href.list('alle', { ...who, openOnly: true })
    case 'dueSoon':
      return href.list('alle', {
        ...who,
        openOnly: true,
        deadlineFrom: today,
        deadlineTo: plus(today, 7),
      })
    case 'overdue':
      return href.list('ueberfaellig', who)
    case 'waiting':
      return href.list('alle', { ...who, status: 'nachforderung' })
  }
}

function WorkloadTable({
  rows,
  by,
  caption,
  today,
}: {
  rows: WorkloadRow[]
  by: 'assignee' | 'procedureId'
  caption: string
  today: string
}) {
  return (
    <table className="workload">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{by === 'assignee' ? 'Sachbearbeitung' : 'Verfahren'}</th>
          <th scope="col">Offen</th>
          <th scope="col">Fällig in 7 Tagen</th>
          <th scope="col">Überfällig</th>
          <th scope="col">Wartet (Nachforderung)</th>
          <th scope="col">Diese Woche entschieden</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={`workload-${r.key}`}>
            <th scope="row">{r.label}</th>
            {(['open', 'dueSoon', 'overdue', 'waiting'] as const).map((k) => (
              <td key={k} className={k === 'overdue' && r.overdue > 0 ? 'overdue-text' : undefined}>
                <a
                  href={drill(k, by, r.key, today)}
                  aria-label={`${r.label}: ${r[k]} – Liste öffnen`}
                >
                  {r[k].toLocaleString('de-DE')}
                </a>
              </td>
            ))}
            <td>{r.decidedThisWeek.toLocaleString('de-DE')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Charts({ d }: { d: Dashboard }) {
  const weeks = useMemo(
    () => d.throughput.map((w) => `KW ab ${formatDate(w.week).slice(0, 6)}`),
    [d],
  )
  const throughput = useMemo(
    () => [
      { label: 'Eingegangen', values: d.throughput.map((w) => w.received), color: '#8fb3d9' },
      { label: 'Entschieden', values: d.throughput.map((w) => w.decided), color: '#12395f' },
    ],
    [d],
  )
  const ageLabels = useMemo(() => d.ageBuckets.map((b) => b.label), [d])
  const age = useMemo(
    () => [
      { label: 'Offene Vorgänge', values: d.ageBuckets.map((b) => b.count), color: '#b35c00' },
    ],
    [d],
  )
  return (
    <div className="charts">
      <BarChart title="Durchsatz je Woche" labels={weeks} series={throughput} />
      <BarChart title="Alter der offenen Vorgänge" labels={ageLabels} series={age} />
    </div>
  )
}

function Absences() {
  const { data } = useApiQuery('team.absences', {})
  const { data: users } = useApiQuery('session.users', {})
  const { data: info } = useApiQuery('app.info', {})
  const [setAbsence, state] = useApiMutation('team.setAbsence')
  const [endAbsence] = useApiMutation('team.endAbsence')
  const [form, setForm] = useState({
    userId: '',
    substituteId: '',
    from: info?.today ?? '',
    until: '',
  })
  const clerks = users?.users.filter((u) => u.role === 'clerk') ?? []
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    await setAbsence({ ...form, from: form.from || (info?.today ?? '') })
  }
  return (
    <section aria-labelledby="absence-title">
      <h2 id="absence-title">Vertretung</h2>
      {data && data.absences.length > 0 ? (
        <ul>
          {data.absences.map((a) => (
            <li key={a.id}>
              {a.userName} abwesend {formatDate(a.from)} – {formatDate(a.until)}, vertreten durch{' '}
              {a.substituteName}{' '}
              <button type="button" className="link" onClick={() => void endAbsence({ id: a.id })}>
                beenden
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Keine Abwesenheiten eingetragen.</p>
      )}
      <form
        className="action-form"
        onSubmit={(e) => void submit(e)}
        aria-label="Abwesenheit eintragen"
      >
        <label>
          Abwesend
          <select
            value={form.userId}
            onChange={(e) => setForm({ ...form, userId: e.target.value })}
            required
          >
            <option value="">– bitte wählen –</option>
            {clerks.map((u) => (
              <option key={u.userId} value={u.userId}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Vertreten durch
          <select
            value={form.substituteId}
            onChange={(e) => setForm({ ...form, substituteId: e.target.value })}
            required
          >
            <option value="">– bitte wählen –</option>
            {clerks
              .filter((u) => u.userId !== form.userId)
              .map((u) => (
                <option key={u.userId} value={u.userId}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
        <DateField
          label="von "
          value={form.from}
          onChange={(from) => setForm({ ...form, from })}
          required
        />
        <DateField
          label="bis "
          value={form.until}
          onChange={(until) => setForm({ ...form, until })}
          required
        />
        <ErrorMessage error={state.error} />
        <button type="submit" disabled={state.isLoading}>
          Vertretung eintragen
        </button>
      </form>
    </section>
  )
}

export function TeamScreen() {
  const { data: info } = useApiQuery('app.info', {})
  const { data: d, error } = useApiQuery('team.dashboard', {})
  const [balancing, setBalancing] = useState(false)
  if (info && info.user.role !== 'lead')
    return (
      <section aria-labelledby="team-title">
        <h1 id="team-title">Team</h1>
        <p>Die Teamübersicht steht der Sachgebietsleitung zur Verfügung.</p>
      </section>
    )
  return (
    <section aria-labelledby="team-title" className="team">
      <h1 id="team-title">Team</h1>
      <ErrorMessage error={error} />
      {d && (
        <>
          <div className="queue">
            <p>
              <strong>Posteingang: </strong>
              <a href={href.list('posteingang')} data-testid="unassigned-count">
                {countLabel(d.unassigned.count, 'unverteilter Vorgang', 'unverteilte Vorgänge')}
              </a>
              {d.unassigned.oldest && (
                <>
                  {' '}
                  · ältester:{' '}
                  <a href={href.case(d.unassigned.oldest.id)}>
                    {d.unassigned.oldest.aktenzeichen}
                  </a>{' '}
                  vom {formatDate(d.unassigned.oldest.receivedAt)}
                </>
              )}
            </p>
            <button
              type="button"
              onClick={() => setBalancing(true)}
              disabled={d.unassigned.count === 0}
            >
              Posteingang verteilen …
            </button>
          </div>
          <WorkloadTable
            rows={d.clerks}
            by="assignee"
            caption="Auslastung je Person"
            today={d.today}
          />
          <WorkloadTable
            rows={d.procedures}
            by="procedureId"
            caption="Auslastung je Verfahren"
            today={d.today}
          />
          <Charts d={d} />
          <Absences />
        </>
      )}
      {balancing && <BalanceDialog onClose={() => setBalancing(false)} />}
    </section>
  )
}
