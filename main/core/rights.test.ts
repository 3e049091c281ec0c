import { describe, expect, it } from 'vitest'
import type { Directory, User } from './directory'
import { loadDemoDirectory } from './directory'
import {
  absenceRefusal,
  caseRefusal,
  standsInFor,
  teamOfProcedure,
  type CaseAction,
  type CaseFacts,
  type RightsWorld,
  type Vertretung,
} from './rights'

// The shipped demo directory: team-soziales (wohngeld; clerks Jörg Weiß, Anna Müller, lead Sabine
// Bäumer), team-ordnung (kfz, bussgeld, sondernutzung, baugenehmigung; clerks Lukas Köhler,
// Marie Fuchs, lead Heike Jüngling), records Ralf Völkel.
const directory: Directory = {
  ...loadDemoDirectory(),
  users: [
    ...loadDemoDirectory().users,
    { userId: 'u-leser', name: 'Lena Leser', role: 'readonly', teamId: 'team-soziales' },
    // a standing substitute (the directory's substituteFor)
    {
      userId: 'u-stand',
      name: 'Stefan Stand',
      role: 'clerk',
      teamId: 'team-soziales',
      substituteFor: 'u-amueller',
    },
  ],
}
const user = (id: string): User => {
  const u = directory.users.find((x) => x.userId === id)
  if (!u) throw new Error(id)
  return u
}
// Jörg Weiß stands in for Anna Müller from 1 to 5 December
const absences: Vertretung[] = [
  { userId: 'u-amueller', substituteId: 'u-jweiss', from: '2026-12-01', until: '2026-12-05' },
]
const world = (today: string): RightsWorld => ({ directory, absences, today })
const wohngeld = (assignee: string | null, decidedBy: string | null = null): CaseFacts => ({
  aktenzeichen: '632.1-2026-000001',
  procedureId: 'wohngeld',
  assignee,
  decidedBy,
})
const bau = (assignee: string | null, decidedBy: string | null = null): CaseFacts => ({
  aktenzeichen: '621.4-2026-000001',
  procedureId: 'baugenehmigung',
  assignee,
  decidedBy,
})

type Row = [who: string, action: CaseAction, c: CaseFacts, allowed: boolean | RegExp, why: string]
const rows: Row[] = [
  // clerk: own cases, unassigned cases of the team to take, nothing else
  ['u-jweiss', 'work', wohngeld('u-jweiss'), true, 'own case'],
  [
    'u-jweiss',
    'work',
    wohngeld('u-amueller'),
    /Anna Müller zugewiesen/,
    'colleague, no Vertretung',
  ],
  ['u-jweiss', 'work', wohngeld(null), /niemandem zugewiesen/, 'unassigned: take it first'],
  ['u-jweiss', 'take', wohngeld(null), true, 'unassigned case of the team'],
  ['u-jweiss', 'take', wohngeld('u-jweiss'), true, 'own case again'],
  ['u-jweiss', 'take', wohngeld('u-amueller'), /nur die Sachgebietsleitung/, 'colleague'],
  ['u-jweiss', 'take', bau(null), /Sachgebiet Ordnung/, 'other team'],
  ['u-jweiss', 'release', wohngeld('u-jweiss'), true, 'own'],
  ['u-jweiss', 'release', wohngeld('u-amueller'), /Anna Müller/, 'colleague'],
  ['u-jweiss', 'review', wohngeld('u-amueller', 'u-amueller'), /Sachgebietsleitung/, 'clerk'],
  ['u-jweiss', 'records', wohngeld('u-jweiss'), /Registratur/, 'clerk closes'],
  ['u-lkoehler', 'work', wohngeld('u-lkoehler'), /Soziales/, 'assigned across teams'],
  ['u-stand', 'work', wohngeld('u-amueller'), true, 'standing substitute'],
  // lead: every case of the team, not of the other team; four eyes by identity
  ['u-sbaeumer', 'work', wohngeld('u-amueller'), true, 'lead, own team'],
  ['u-sbaeumer', 'work', wohngeld(null), true, 'lead, unassigned'],
  ['u-sbaeumer', 'take', wohngeld('u-amueller'), true, 'lead takes over'],
  ['u-sbaeumer', 'release', wohngeld('u-amueller'), true, 'lead returns it'],
  ['u-sbaeumer', 'work', bau('u-lkoehler'), /Sachgebiet Ordnung/, 'lead, other team'],
  ['u-sbaeumer', 'review', wohngeld('u-amueller', 'u-amueller'), true, 'co-signs a clerk'],
  ['u-sbaeumer', 'review', wohngeld('u-sbaeumer', 'u-sbaeumer'), /Vier-Augen/, 'own decision'],
  ['u-sbaeumer', 'review', wohngeld('u-amueller', 'u-sbaeumer'), /Vier-Augen/, 'decided herself'],
  ['u-hjuengling', 'review', bau('u-lkoehler', 'u-lkoehler'), true, 'Baugenehmigung'],
  ['u-hjuengling', 'review', wohngeld('u-amueller', 'u-amueller'), /Soziales/, 'other team'],
  ['u-sbaeumer', 'records', wohngeld('u-amueller'), /Registratur/, 'lead closes'],
  // records: zdA, reopen, Aussonderung on any team's case — nothing else
  ['u-rvoelkel', 'records', wohngeld('u-amueller'), true, 'records, other team'],
  ['u-rvoelkel', 'records', bau(null), true, 'records, own team'],
  ['u-rvoelkel', 'work', bau(null), /Registratur/, 'records adds a note'],
  ['u-rvoelkel', 'take', bau(null), /Registratur/, 'records takes'],
  ['u-rvoelkel', 'review', bau('u-lkoehler', 'u-lkoehler'), /Registratur/, 'records co-signs'],
  // readonly: nothing
  ['u-leser', 'work', wohngeld('u-leser'), /Leseberechtigung/, 'readonly'],
  ['u-leser', 'records', wohngeld(null), /Leseberechtigung/, 'readonly closes'],
  // a procedure no team has
  [
    'u-sbaeumer',
    'work',
    { ...wohngeld(null), procedureId: 'hundesteuer' },
    /keinem Sachgebiet/,
    '',
  ],
]

describe('rights of a case (issue #13)', () => {
  it.each(rows)('%s %s → %s (%s)', (who, action, c, allowed) => {
    const reason = caseRefusal(world('2026-11-27'), user(who), action, c)
    if (allowed === true) expect(reason).toBeNull()
    else expect(reason).toMatch(allowed as RegExp)
  })

  it('a Vertretung counts from its first to its last day, not before or after', () => {
    const me = user('u-jweiss')
    const onDay = (d: string) => caseRefusal(world(d), me, 'work', wohngeld('u-amueller'))
    expect(onDay('2026-11-30')).toMatch(/Anna Müller zugewiesen/)
    expect(onDay('2026-12-01')).toBeNull()
    expect(onDay('2026-12-05')).toBeNull()
    expect(onDay('2026-12-06')).toMatch(/Anna Müller zugewiesen/)
    // the substitute works on the case; taking or returning it stays with its assignee or the lead
    expect(caseRefusal(world('2026-12-02'), me, 'release', wohngeld('u-amueller'))).not.toBeNull()
    expect(caseRefusal(world('2026-12-02'), me, 'take', wohngeld('u-amueller'))).not.toBeNull()
    // the other way round it is no Vertretung
    expect(standsInFor(world('2026-12-02'), user('u-amueller'), 'u-jweiss')).toBe(false)
    expect(standsInFor(world('2026-12-02'), user('u-kschroeder'), 'u-amueller')).toBe(false)
  })

  it('assigning: the lead within the team only, a clerk only to themselves or back', () => {
    const w = world('2026-11-27')
    const lead = user('u-sbaeumer')
    expect(caseRefusal(w, lead, 'assign', wohngeld(null), 'u-amueller')).toBeNull()
    expect(caseRefusal(w, lead, 'assign', wohngeld('u-jweiss'), null)).toBeNull()
    expect(caseRefusal(w, lead, 'assign', wohngeld(null), 'u-lkoehler')).toMatch(
      /Lukas Köhler gehört nicht/,
    )
    expect(caseRefusal(w, lead, 'assign', wohngeld(null), 'u-rvoelkel')).toMatch(/gehört nicht/)
    const clerk = user('u-jweiss')
    expect(caseRefusal(w, clerk, 'assign', wohngeld(null), 'u-jweiss')).toBeNull()
    expect(caseRefusal(w, clerk, 'assign', wohngeld('u-jweiss'), null)).toBeNull()
    expect(caseRefusal(w, clerk, 'assign', wohngeld(null), 'u-amueller')).toMatch(
      /Nur die Sachgebietsleitung/,
    )
    expect(caseRefusal(w, clerk, 'assign', wohngeld('u-amueller'), 'u-jweiss')).toMatch(
      /Anna Müller zugewiesen/,
    )
    expect(caseRefusal(w, clerk, 'assign', wohngeld('u-amueller'), null)).toMatch(
      /Nur die Sachgebietsleitung/,
    )
  })

  it('the team of a case comes from the directory’s procedures lists', () => {
    expect(teamOfProcedure(directory, 'wohngeld')?.teamId).toBe('team-soziales')
    for (const p of ['sondernutzung', 'kfz', 'bussgeld', 'baugenehmigung'])
      expect(teamOfProcedure(directory, p)?.teamId).toBe('team-ordnung')
    expect(teamOfProcedure(directory, 'hundesteuer')).toBeUndefined()
  })

  it('a Vertretung is entered by a lead of the person’s team or by the person', () => {
    expect(absenceRefusal(directory, user('u-amueller'), 'u-amueller')).toBeNull()
    expect(absenceRefusal(directory, user('u-sbaeumer'), 'u-amueller')).toBeNull()
    expect(absenceRefusal(directory, user('u-jweiss'), 'u-amueller')).toMatch(/Sachgebietsleitung/)
    expect(absenceRefusal(directory, user('u-hjuengling'), 'u-amueller')).toMatch(
      /nicht zu Ihrem Sachgebiet/,
    )
    expect(absenceRefusal(directory, user('u-leser'), 'u-leser')).not.toBeNull()
  })
})
