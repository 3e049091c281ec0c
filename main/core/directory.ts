import { readFileSync } from 'node:fs'
import { assetPath } from './procedures'

export type Role = 'clerk' | 'lead' | 'records' | 'readonly'
export interface User {
  userId: string
  name: string
  role: Role
  teamId: string
  substituteFor?: string
}
export interface Directory {
  office: string
  /** `procedures`: the procedure ids whose cases belong to the team (docs/architecture.md, Rights) */
  teams: { teamId: string; name: string; procedures?: string[] }[]
  users: User[]
}

/** The demo directory shipped in assets/; office sync replaces it with the hub's. */
export function loadDemoDirectory(): Directory {
  return JSON.parse(readFileSync(assetPath('demo-directory.json'), 'utf8')) as Directory
}
