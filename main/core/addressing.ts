import type { CaseRecord } from '../../db/repositories/cases'
import type { AppContext } from './context'
import type { User } from './directory'

export interface PostalAddress {
  name: string
  street: string
  postalCode: string
  city: string
}

/** The addressee from the submitted form (antragsteller/firma), else from the one-line address. */
export function addresseeOf(c: Pick<CaseRecord, 'applicantName' | 'applicantAddress' | 'formData'>): PostalAddress {
  const form = (c.formData ?? {}) as Record<string, unknown>
  const a = (form.antragsteller ?? form.firma ?? form.halter) as Record<string, unknown> | undefined
  if (a && typeof a.strasse === 'string' && typeof a.plz === 'string' && typeof a.ort === 'string') {
    return { name: c.applicantName, street: `${a.strasse} ${typeof a.hausnummer === 'string' ? a.hausnummer : ''}`.trim(), postalCode: a.plz, city: a.ort }
  }
  const m = /^(.*),\s*(\d{5})\s+(.+)$/.exec(c.applicantAddress)
  return { name: c.applicantName, street: m?.[1] ?? c.applicantAddress, postalCode: m?.[2] ?? '', city: m?.[3] ?? '' }
}

export function clerkOf(ctx: AppContext, user: User) {
  const a = ctx.procedures.authority
  return { name: user.name, phone: a.phone.replace(/-0$/, `-${100 + (user.userId.length * 7) % 90}`), email: `${user.userId.replace(/^u-/, '')}@${a.email.split('@')[1] ?? 'example.org'}` }
}

