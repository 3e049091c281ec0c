import type { CaseRecord } from '../../db/repositories/cases'
import type { AppContext } from './context'
import type { User } from './directory'

export interface PostalAddress {
  name: string
  street: string
  postalCode: string
  city: string
  /** „Sehr geehrte Frau Hähnel,“ from the form's Anrede; businesses and unknown: none (template's) */
  salutation?: string
}

/** The salutation of a person from the form (anrede Frau/Herr + nachname), else undefined. */
export function salutationOf(person: Record<string, unknown> | undefined): string | undefined {
  const last = typeof person?.nachname === 'string' ? person.nachname.trim() : ''
  if (!last) return undefined
  if (person?.anrede === 'Frau') return `Sehr geehrte Frau ${last},`
  if (person?.anrede === 'Herr') return `Sehr geehrter Herr ${last},`
  return undefined
}

/** The case's letterhead: the authority with the unit of the case's procedure (Wohngeldstelle …). */
export function issuingAuthority(ctx: AppContext, procedureId: string) {
  const a = ctx.procedures.authority
  return { ...a, department: ctx.procedures.byId(procedureId)?.unit ?? a.department }
}

/** The addressee from the submitted form (antragsteller/firma), else from the one-line address. */
export function addresseeOf(
  c: Pick<CaseRecord, 'applicantName' | 'applicantAddress' | 'formData'>,
): PostalAddress {
  const form = (c.formData ?? {}) as Record<string, unknown>
  const a = (form.antragsteller ?? form.firma ?? form.halter) as Record<string, unknown> | undefined
  if (
    a &&
    typeof a.strasse === 'string' &&
    typeof a.plz === 'string' &&
    typeof a.ort === 'string'
  ) {
    const salutation = form.firma ? undefined : salutationOf(a)
    return {
      name: c.applicantName,
      street: `${a.strasse} ${typeof a.hausnummer === 'string' ? a.hausnummer : ''}`.trim(),
      postalCode: a.plz,
      city: a.ort,
      ...(salutation ? { salutation } : {}),
    }
  }
  const m = /^(.*),\s*(\d{5})\s+(.+)$/.exec(c.applicantAddress)
  return {
    name: c.applicantName,
    street: m?.[1] ?? c.applicantAddress,
    postalCode: m?.[2] ?? '',
    city: m?.[3] ?? '',
  }
}

export function clerkOf(ctx: AppContext, user: User) {
  const a = ctx.procedures.authority
  return {
    name: user.name,
    phone: a.phone.replace(/-0$/, `-${100 + ((user.userId.length * 7) % 90)}`),
    email: `${user.userId.replace(/^u-/, '')}@${a.email.split('@')[1] ?? 'example.org'}`,
  }
}
