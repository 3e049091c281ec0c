// Bekanntgabe (notification) of a notice and the objection period that follows from it.

import { addDays, diffDays, formatDateDe, weekdayNameDe, type IsoDate } from './calendar'
import { moveToWorkingDay, periodEnd, type PeriodLength } from './periods'

export interface BekanntgabeInput {
  /** Day the notice was handed to the postal service, or the day the portal notification was sent. */
  dispatchDate: IsoDate
  channel: 'post' | 'portal'
  /** Portal only: the day the addressee retrieved the notice (§ 41 Abs. 2a VwVfG). */
  retrievalDate?: IsoDate
  /**
   * Whether a fiction day falling on a Saturday, Sunday or Saxon holiday moves to the next
   * working day (default true, see the comment on {@link bekanntgabe}).
   */
  moveFictionDayOffNonWorkingDays?: boolean
  /**
   * The norms the procedure's law names for the two channels (assets/procedures.json, `law`):
   * VwVfG by default; a social benefit cites SGB X (§ 37), a fine OWiG with the VwZG. The
   * computation is the same; only the citation in the notes differs.
   */
  norms?: { post: string; portal: string }
  /**
   * The legal remedy the procedure's law gives and its period (assets/procedures.json,
   * `law.objection`): Widerspruch within one month (§ 70 Abs. 1 VwGO) by default, Einspruch
   * within two weeks for a fine (§ 67 Abs. 1 OWiG).
   */
  objection?: { name: string; period: PeriodLength; norm: string }
}

const DEFAULT_OBJECTION = {
  name: 'Widerspruch',
  period: { months: 1 },
  norm: '§ 70 Abs. 1 VwGO',
} as const satisfies BekanntgabeInput['objection']

const NUMBERS = ['', 'ein', 'zwei', 'drei', 'vier', 'fünf', 'sechs']
/** „ein Monat“, „zwei Wochen“, „14 Tage“ */
export function periodText(p: PeriodLength): string {
  const [unit, n] = Object.entries(p)[0] as [keyof PeriodLength, number]
  const word = NUMBERS[n] ?? String(n)
  if ('months' === unit) return `${word} ${n === 1 ? 'Monat' : 'Monate'}`
  if ('weeks' === unit) return `${n === 1 ? 'eine' : word} ${n === 1 ? 'Woche' : 'Wochen'}`
  return `${n} ${n === 1 ? 'Tag' : 'Tage'}`
}

export interface BekanntgabeResult {
  /** The day the notice counts as notified, or null when it is not (yet) notified. */
  deliveredOn: IsoDate | null
  /** The fiction day before moving it off weekends/holidays (null when not notified). */
  fictionDay: IsoDate | null
  /** Last day for an objection (Widerspruch), or null when not notified. */
  objectionPeriodEnd: IsoDate | null
  /** Portal: last day of the 10-day retrieval window (§ 41 Abs. 2a Satz 4 VwVfG). */
  retrievalWindowEnd?: IsoDate
  /** German explanations for the case file / UI. */
  notes: string[]
}

/** Dispatches from this day on use the four-day fiction (PostModG, in force 1 January 2025). */
export const FOUR_DAY_FICTION_FROM: IsoDate = '2025-01-01'

/**
 * When a notice counts as notified (Bekanntgabe) and when the objection period ends.
 *
 * Post (§ 41 Abs. 2 Satz 1 VwVfG as amended by the Postrechtsmodernisierungsgesetz of 15.07.2024,
 * applicable from 1 January 2025): a written notice sent by post within Germany counts as
 * notified on the **fourth** day after it was handed to the postal service (three days before
 * 2025; dispatches before {@link FOUR_DAY_FICTION_FROM} keep the three-day rule). The fiction does
 * not apply when the notice did not arrive or arrived later; in doubt the authority must prove
 * receipt and its date (§ 41 Abs. 2 Satz 3 VwVfG).
 *
 * Portal (§ 41 Abs. 2a VwVfG): an electronic notice provided for retrieval counts as notified
 * on the day after retrieval. If it is not retrieved within ten days after the notification of
 * its provision was sent, the provision ends and the notice is not notified.
 *
 * Fiction day on a weekend or holiday — our choice: it MOVES to the next working day.
 * The question is disputed for § 41 VwVfG. We follow the prevailing view established by the
 * BFH for the identical three-day fiction of § 122 Abs. 2 Nr. 1 AO (BFH, Urteil vom 14.10.2003,
 * IX R 68/98, BStBl II 2003, 898: § 108 Abs. 3 AO applies, the fiction day moves to the next
 * working day), transferred to § 31 Abs. 3 VwVfG. The same reasoning is applied to the portal
 * fiction of § 41 Abs. 2a VwVfG for consistency. This choice can only make the objection period
 * later, never earlier, so an objection computed as timely under the other view stays timely:
 * the authority never rejects a timely objection because of it. Callers who must follow the
 * other view pass `moveFictionDayOffNonWorkingDays: false`.
 *
 * Objection period (§ 70 Abs. 1 VwGO): one month after Bekanntgabe, §§ 187 Abs. 1, 188 Abs. 2,
 * 3 BGB via § 57 Abs. 2 VwGO / § 222 ZPO, moved off weekends and holidays (§ 222 Abs. 2 ZPO,
 * § 193 BGB, § 31 Abs. 3 VwVfG).
 */
export function bekanntgabe(input: BekanntgabeInput): BekanntgabeResult {
  const move = input.moveFictionDayOffNonWorkingDays ?? true
  const norms = input.norms ?? { post: '§ 41 Abs. 2 Satz 1 VwVfG', portal: '§ 41 Abs. 2a VwVfG' }
  const notes: string[] = []

  let fictionDay: IsoDate
  if (input.channel === 'post') {
    const fourDays = diffDays(FOUR_DAY_FICTION_FROM, input.dispatchDate) >= 0
    const n = fourDays ? 4 : 3
    fictionDay = addDays(input.dispatchDate, n)
    notes.push(
      `Aufgabe zur Post am ${formatDateDe(input.dispatchDate)}; Bekanntgabe gilt am ${n === 4 ? 'vierten' : 'dritten'} Tag ` +
        `danach, ${weekdayNameDe(fictionDay)}, ${formatDateDe(fictionDay)} (${norms.post}` +
        `${fourDays ? ' i. d. F. des PostModG' : ' a. F.'}), außer bei späterem oder fehlendem Zugang.`,
    )
  } else {
    const retrievalWindowEnd = addDays(input.dispatchDate, 10)
    if (!input.retrievalDate) {
      notes.push(
        `Zum Abruf bereitgestellt, Benachrichtigung am ${formatDateDe(input.dispatchDate)}; noch nicht abgerufen. ` +
          `Ohne Abruf bis ${formatDateDe(retrievalWindowEnd)} endet die Bereitstellung, die Bekanntgabe ist dann nicht bewirkt (${norms.portal}).`,
      )
      return {
        deliveredOn: null,
        fictionDay: null,
        objectionPeriodEnd: null,
        retrievalWindowEnd,
        notes,
      }
    }
    if (diffDays(input.dispatchDate, input.retrievalDate) < 0) {
      throw new RangeError(
        `Abrufdatum ${input.retrievalDate} liegt vor der Bereitstellung ${input.dispatchDate}`,
      )
    }
    if (diffDays(retrievalWindowEnd, input.retrievalDate) > 0) {
      notes.push(
        `Abruf am ${formatDateDe(input.retrievalDate)} liegt nach dem Ende der zehntägigen Bereitstellung ` +
          `(${formatDateDe(retrievalWindowEnd)}); die Bekanntgabe ist nicht bewirkt (${norms.portal}). Erneut bekannt geben.`,
      )
      return {
        deliveredOn: null,
        fictionDay: null,
        objectionPeriodEnd: null,
        retrievalWindowEnd,
        notes,
      }
    }
    fictionDay = addDays(input.retrievalDate, 1)
    notes.push(
      `Abgerufen am ${formatDateDe(input.retrievalDate)}; Bekanntgabe gilt am Tag nach dem Abruf, ` +
        `${weekdayNameDe(fictionDay)}, ${formatDateDe(fictionDay)} (${norms.portal}).`,
    )
    return finish(fictionDay, move, notes, input.objection, retrievalWindowEnd)
  }
  return finish(fictionDay, move, notes, input.objection)
}

function finish(
  fictionDay: IsoDate,
  move: boolean,
  notes: string[],
  rule: BekanntgabeInput['objection'] = DEFAULT_OBJECTION,
  retrievalWindowEnd?: IsoDate,
): BekanntgabeResult {
  let deliveredOn = fictionDay
  if (move) {
    const moved = moveToWorkingDay(fictionDay)
    if (moved.moved) {
      deliveredOn = moved.end
      const why = [...new Set(moved.movedBecause.map((r) => r.label))].join(', ')
      notes.push(
        `Der Bekanntgabetag fällt auf ${why}; er verschiebt sich auf ${weekdayNameDe(deliveredOn)}, ${formatDateDe(deliveredOn)} ` +
          `(§ 31 Abs. 3 VwVfG entsprechend, vgl. BFH 14.10.2003 – IX R 68/98).`,
      )
    }
  }
  const objection = periodEnd(deliveredOn, rule.period)
  notes.push(
    `${rule.name}sfrist ${periodText(rule.period)} ab Bekanntgabe (${rule.norm}): ${objection.note}.` +
      (rule.norm.includes('VwGO')
        ? ` Ohne ordnungsgemäße Rechtsbehelfsbelehrung gilt die Jahresfrist (§ 58 Abs. 2 VwGO).`
        : ''),
  )
  const result: BekanntgabeResult = {
    deliveredOn,
    fictionDay,
    objectionPeriodEnd: objection.end,
    notes,
  }
  if (retrievalWindowEnd) result.retrievalWindowEnd = retrievalWindowEnd
  return result
}
