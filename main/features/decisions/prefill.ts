/**
 * Decision fields prefilled from the submitted form, so nothing that came in digitally is
 * retyped. The mapping lives in each notice template (`prefill`: field → "{{form.path}} …").
 */
function lookup(data: unknown, path: string): string | undefined {
  let cur: unknown = data
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return typeof cur === 'string' || typeof cur === 'number' ? String(cur) : undefined
}

export function prefillFields(mapping: Record<string, string> | undefined, formData: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, pattern] of Object.entries(mapping ?? {})) {
    let complete = true
    const value = pattern.replace(/\{\{([\w.]+)\}\}/g, (_, path: string) => {
      const v = lookup(formData, path)
      if (v === undefined) complete = false
      return v ?? ''
    })
    if (complete && value.trim()) out[field] = value.trim()
  }
  return out
}
