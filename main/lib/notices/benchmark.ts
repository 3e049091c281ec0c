/**
 * Messung für `npm run bench`: nur erzeugen vs. erzeugen + signieren (Median über warme Läufe).
 */
import { readFileSync } from 'node:fs'
import { loadPkcs12 } from '../signature/identity'
import type { SigningIdentity } from '../signature/identity'
import { assetPath } from './assets'
import { sampleNoticeInput } from './noticeModel'
import { renderNotice } from './noticePdf'
import { signNotice } from './signNotice'

export interface NoticeTimings {
  procedureId: string
  runs: number
  generateMedianMs: number
  generateAndSignMedianMs: number
  /** generateAndSign / generate */
  ratio: number
  bytesUnsigned: number
  bytesSigned: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}

export async function measureNoticeTimings(opts: { procedureId?: string; runs?: number; warmup?: number; identity?: SigningIdentity } = {}): Promise<NoticeTimings> {
  const procedureId = opts.procedureId ?? 'wohngeld'
  const runs = opts.runs ?? 50
  const warmup = opts.warmup ?? 5
  const identity = opts.identity ?? (await loadPkcs12(readFileSync(assetPath('certs', 'demo-sachbearbeiter.p12')), 'demo'))
  const input = sampleNoticeInput(procedureId)
  const now = new Date('2026-11-27T09:00:00Z')
  let bytesUnsigned = 0
  let bytesSigned = 0
  for (let i = 0; i < warmup; i++) {
    await renderNotice(input, { now })
    await signNotice(input, identity, { signingTime: now })
  }
  const gen: number[] = []
  const both: number[] = []
  for (let i = 0; i < runs; i++) {
    let t = performance.now()
    bytesUnsigned = (await renderNotice(input, { now })).length
    gen.push(performance.now() - t)
    t = performance.now()
    bytesSigned = (await signNotice(input, identity, { signingTime: now })).length
    both.push(performance.now() - t)
  }
  const g = median(gen)
  const b = median(both)
  return { procedureId, runs, generateMedianMs: g, generateAndSignMedianMs: b, ratio: b / g, bytesUnsigned, bytesSigned }
}
