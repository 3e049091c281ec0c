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
  teams: { teamId: string; name: string }[]
  users: User[]
}

/** The demo directory shipped in assets/; office sync replaces it with the hub's. */
export function loadDemoDirectory(): Directory {
  return JSON.parse(readFileSync(assetPath('demo-directory.json'), 'utf8')) as Directory
}
