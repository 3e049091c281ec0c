// The office directory the hub serves: teams and users (demo), procedures and the file plan.
import { readFileSync } from 'node:fs'
import { PROCEDURES_FILE, shippedAsset } from '../bootstrap'

export type OfficeRole = 'clerk' | 'lead' | 'records'
export interface OfficeUser {
  userId: string
  name: string
  role: OfficeRole
  teamId: string
  substituteFor?: string
}
export interface OfficeDirectory {
  office: string
  /** `procedures`: the procedure ids whose cases belong to the team (the team of a case) */
  teams: { teamId: string; name: string; procedures: string[] }[]
  users: OfficeUser[]
  procedures: { id: string; name: string; fileCode: string }[]
  filePlan: { code: string; title: string; retentionYears: number }[]
}

export const DIRECTORY_FILE = shippedAsset('demo-directory.json')

export function loadOfficeDirectory(
  directoryFile = DIRECTORY_FILE,
  proceduresFile = PROCEDURES_FILE,
): OfficeDirectory {
  const dir = JSON.parse(readFileSync(directoryFile, 'utf8')) as {
    office: string
    teams: { teamId: string; name: string; procedures?: string[] }[]
    users: OfficeUser[]
  }
  const procs = JSON.parse(readFileSync(proceduresFile, 'utf8')) as {
    procedures: {
      id: string
      name: string
      fileCode: string
      fileTitle: string
      retentionYears: number
    }[]
  }
  const filePlan = new Map<string, OfficeDirectory['filePlan'][number]>()
  for (const p of procs.procedures)
    filePlan.set(p.fileCode, {
      code: p.fileCode,
      title: p.fileTitle,
      retentionYears: p.retentionYears,
    })
  return {
    office: dir.office,
    teams: dir.teams.map((t) => ({
      teamId: t.teamId,
      name: t.name,
      procedures: t.procedures ?? [],
    })),
    users: dir.users.map((u) => ({
      userId: u.userId,
      name: u.name,
      role: u.role,
      teamId: u.teamId,
      ...(u.substituteFor ? { substituteFor: u.substituteFor } : {}),
    })),
    procedures: procs.procedures.map((p) => ({ id: p.id, name: p.name, fileCode: p.fileCode })),
    filePlan: [...filePlan.values()],
  }
}

/** The team whose `procedures` list holds the procedure (the team of a case), or undefined. */
export const teamOfProcedure = (d: OfficeDirectory, procedureId: string): string | undefined =>
  d.teams.find((t) => t.procedures.includes(procedureId))?.teamId
