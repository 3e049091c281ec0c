import { describe, expect, it } from 'vitest'
import { pdfText } from '../signature/pdfTools.testutil'
import { renderHearingLetter } from './hearingLetter'
import { sampleNoticeInput } from './noticeModel'

const now = new Date('2026-11-27T09:00:00Z')
const norm = (s: string) => s.replace(/\s+/g, ' ')

describe('renderHearingLetter', () => {
  const s = sampleNoticeInput('wohngeld')
  const input = {
    procedureId: 'wohngeld',
    authority: s.authority,
    addressee: s.addressee,
    aktenzeichen: s.aktenzeichen,
    date: '2026-11-24',
    clerk: s.clerk,
    applicationDate: '2026-10-14',
    intended: 'Ablehnung',
    points: ['Das Einkommen übersteigt die Höchstgrenze', 'Die Miete ist nicht belegt'],
    deadline: '2026-12-08',
    legalBasis: '§ 24 SGB X',
  }
  it('names the intended decision, the points, the deadline and the legal basis', async () => {
    const text = norm(pdfText(await renderHearingLetter(input, { now })))
    expect(text).toContain('Anhörung nach § 24 SGB X – Äußerung bis 08.12.2026')
    expect(text).toContain('wie folgt zu entscheiden: Ablehnung')
    expect(text).toContain('1. Das Einkommen übersteigt die Höchstgrenze')
    expect(text).toContain('2. Die Miete ist nicht belegt')
    expect(text).toContain('bis zum 08.12.2026')
    expect(text).toContain('noch keine Entscheidung')
    expect(text).toContain('über das Serviceportal')
    expect(text).toContain(s.aktenzeichen)
  })
  it('does not offer the portal to a paper application and needs at least one point', async () => {
    const paper = norm(pdfText(await renderHearingLetter({ ...input, channel: 'paper' }, { now })))
    expect(paper).toContain('per Post oder persönlich')
    expect(paper).not.toContain('Serviceportal')
    await expect(renderHearingLetter({ ...input, points: [] }, { now })).rejects.toThrow(
      /Mindestens einen Punkt/,
    )
  })
})
