/**
 * Testhilfe: prüft ein getaggtes PDF so, wie es PDF/UA-1 verlangt (soweit ohne veraPDF machbar):
 *  - Katalog: /MarkInfo /Marked true, /StructTreeRoot, /Lang, DisplayDocTitle, XMP mit
 *    pdfuaid:part 1 und pdfaid:part;
 *  - jede Seite: /Tabs /S, /StructParents; jeder zeichnende Operator (Text, Pfad füllen/zeichnen,
 *    XObject, Shading) liegt in einer markierten Sequenz mit MCID oder in einem Artefakt; keine
 *    MCID in einer MCID; BDC/EMC ausgeglichen;
 *  - jede MCID: ParentTree[StructParents][mcid] ist ein Strukturelement, das genau diese MCID als
 *    Kind führt; jedes Element hat /P auf sein Elternelement und einen Standardtyp;
 *  - jede Annotation hat /StructParent und ein OBJR im Baum.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
} from 'pdf-lib'
import type { PDFObject, PDFPage } from 'pdf-lib'

export interface TagReport {
  problems: string[]
  /** markierte Inhalte je Seite */
  mcids: number[]
  artifacts: number
  paintOps: number
  /** Strukturtypen in Baumreihenfolge (Tiefensuche) */
  types: string[]
}

const PAINT = new Set([
  'Tj',
  'TJ',
  "'",
  '"',
  'f',
  'F',
  'f*',
  'B',
  'B*',
  'b',
  'b*',
  'S',
  's',
  'Do',
  'sh',
  'EI',
])
const STANDARD = new Set(
  'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby Warichu Figure Formula Form'.split(
    ' ',
  ),
)

type Tok = { t: 'op' | 'name' | 'num' | 'other'; v: string }

/** Zerlegt einen Inhaltsstrom in Operanden und Operatoren (ohne Inline-Bilder). */
export function tokenize(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  const n = src.length
  const ws = (c: string) =>
    c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\0'
  const delim = (c: string) => '()<>[]{}/%'.includes(c)
  while (i < n) {
    const c = src[i] ?? ''
    if (ws(c)) {
      i++
    } else if (c === '%') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++
    } else if (c === '(') {
      let depth = 1
      i++
      while (i < n && depth > 0) {
        const d = src[i]
        if (d === '\\') i += 2
        else {
          if (d === '(') depth++
          else if (d === ')') depth--
          i++
        }
      }
      out.push({ t: 'other', v: '(str)' })
    } else if (c === '<' && src[i + 1] === '<') {
      out.push({ t: 'other', v: '<<' })
      i += 2
    } else if (c === '>' && src[i + 1] === '>') {
      out.push({ t: 'other', v: '>>' })
      i += 2
    } else if (c === '<') {
      const e = src.indexOf('>', i)
      out.push({ t: 'other', v: '<hex>' })
      i = e < 0 ? n : e + 1
    } else if (c === '[' || c === ']' || c === '{' || c === '}') {
      out.push({ t: 'other', v: c })
      i++
    } else if (c === '/') {
      let j = i + 1
      while (j < n && !ws(src[j] ?? ' ') && !delim(src[j] ?? ' ')) j++
      out.push({ t: 'name', v: src.slice(i + 1, j) })
      i = j
    } else {
      let j = i
      while (j < n && !ws(src[j] ?? ' ') && !delim(src[j] ?? ' ')) j++
      if (j === i) j++
      const word = src.slice(i, j)
      out.push(/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) ? { t: 'num', v: word } : { t: 'op', v: word })
      i = j
    }
  }
  return out
}

function pageContent(doc: PDFDocument, page: PDFPage): string {
  const contents = page.node.get(PDFName.of('Contents'))
  const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
  return refs
    .map((r) => {
      const s = r instanceof PDFRef ? doc.context.lookup(r) : r
      if (s instanceof PDFRawStream)
        return Buffer.from(decodePDFRawStream(s).decode()).toString('latin1')
      if (s instanceof PDFStream) return Buffer.from(s.getContents()).toString('latin1')
      return ''
    })
    .join('\n')
}

export async function checkTaggedPdf(pdf: Uint8Array): Promise<TagReport> {
  const problems: string[] = []
  const doc = await PDFDocument.load(pdf, { updateMetadata: false })
  const ctx = doc.context
  const cat = doc.catalog
  const markInfo = cat.lookupMaybe(PDFName.of('MarkInfo'), PDFDict)
  if (markInfo?.get(PDFName.of('Marked'))?.toString() !== 'true')
    problems.push('MarkInfo /Marked true fehlt')
  if (!cat.get(PDFName.of('Lang'))) problems.push('/Lang fehlt')
  const vp = cat.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict)
  if (vp?.get(PDFName.of('DisplayDocTitle'))?.toString() !== 'true')
    problems.push('DisplayDocTitle fehlt')
  const meta = cat.lookupMaybe(PDFName.of('Metadata'), PDFStream)
  const xmp =
    meta instanceof PDFRawStream
      ? Buffer.from(decodePDFRawStream(meta).decode()).toString('utf8')
      : ''
  if (!/<pdfuaid:part>1<\/pdfuaid:part>/.test(xmp)) problems.push('XMP ohne pdfuaid:part 1')
  if (!/<pdfaid:part>2<\/pdfaid:part>/.test(xmp)) problems.push('XMP ohne pdfaid:part 2')
  if (!/pdfaSchema:namespaceURI>http:\/\/www\.aiim\.org\/pdfua\/ns\/id\//.test(xmp))
    problems.push('XMP ohne Erweiterungsschema für pdfuaid')

  const root = cat.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
  const report: TagReport = { problems, mcids: [], artifacts: 0, paintOps: 0, types: [] }
  if (!root) {
    problems.push('StructTreeRoot fehlt')
    return report
  }
  const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray)
  const parentTree = new Map<number, PDFObject>()
  for (let i = 0; i < nums.size(); i += 2)
    parentTree.set((nums.get(i) as PDFNumber).asNumber(), nums.get(i + 1))

  // Baum durchlaufen: MCIDs je (Seite, Element), OBJR-Ziele, Typen, /P
  const owned = new Map<string, PDFRef>() // "pageRef|mcid" → Element
  const objrs = new Set<string>()
  const walk = (ref: PDFRef, parent: PDFRef | undefined) => {
    const el = ctx.lookup(ref, PDFDict)
    const s = el.lookup(PDFName.of('S'), PDFName).decodeText()
    report.types.push(s)
    if (!STANDARD.has(s)) problems.push(`kein Standardtyp: ${s}`)
    const p = el.get(PDFName.of('P'))
    if (parent && p !== parent)
      problems.push(`${s} ${ref.toString()}: /P zeigt nicht auf das Elternelement`)
    const pg = el.get(PDFName.of('Pg'))
    const k = el.lookup(PDFName.of('K'))
    const kids = k instanceof PDFArray ? k.asArray() : k ? [k] : []
    for (const kid of kids) {
      if (kid instanceof PDFNumber) {
        if (!(pg instanceof PDFRef)) problems.push(`${s}: MCID ohne /Pg`)
        else owned.set(`${pg.toString()}|${kid.asNumber()}`, ref)
      } else if (
        kid instanceof PDFRef &&
        ctx.lookup(kid) instanceof PDFDict &&
        ctx.lookup(kid, PDFDict).get(PDFName.of('Type'))?.toString() === '/StructElem'
      ) {
        walk(kid, ref)
      } else {
        const d = kid instanceof PDFRef ? ctx.lookup(kid, PDFDict) : (kid as PDFDict)
        const type = d.get(PDFName.of('Type'))?.toString()
        if (type === '/MCR')
          owned.set(
            `${(d.get(PDFName.of('Pg')) as PDFRef).toString()}|${(d.get(PDFName.of('MCID')) as PDFNumber).asNumber()}`,
            ref,
          )
        else if (type === '/OBJR') objrs.add((d.get(PDFName.of('Obj')) as PDFRef).toString())
        else problems.push(`${s}: unbekanntes Kind ${String(kid)}`)
      }
    }
  }
  const rootKids = root.lookup(PDFName.of('K'))
  for (const r of rootKids instanceof PDFArray ? rootKids.asArray() : [rootKids])
    if (r instanceof PDFRef) walk(r, undefined)

  doc.getPages().forEach((page, pi) => {
    const label = `Seite ${pi + 1}`
    if (page.node.get(PDFName.of('Tabs'))?.toString() !== '/S')
      problems.push(`${label}: /Tabs /S fehlt`)
    const sp = page.node.get(PDFName.of('StructParents'))
    const parents = sp instanceof PDFNumber ? parentTree.get(sp.asNumber()) : undefined
    const parentArr = parents instanceof PDFRef ? ctx.lookup(parents) : parents
    if (!(parentArr instanceof PDFArray)) problems.push(`${label}: kein ParentTree-Eintrag`)
    const stack: Array<{ mcid?: number; artifact: boolean }> = []
    let mcidCount = 0
    let operands: Tok[] = []
    for (const tok of tokenize(pageContent(doc, page))) {
      if (tok.t !== 'op') {
        operands.push(tok)
        continue
      }
      const op = tok.v
      if (op === 'BDC' || op === 'BMC') {
        const tag = operands.find((o) => o.t === 'name')?.v
        const mi = operands.findIndex((o) => o.t === 'name' && o.v === 'MCID')
        const mcid = mi >= 0 ? Number(operands[mi + 1]?.v) : undefined
        const artifact = tag === 'Artifact'
        if (mcid !== undefined) {
          if (stack.some((e) => e.mcid !== undefined || e.artifact))
            problems.push(`${label}: MCID ${mcid} in markiertem Inhalt verschachtelt`)
          mcidCount++
          const owner = owned.get(`${page.ref.toString()}|${mcid}`)
          if (!owner) problems.push(`${label}: MCID ${mcid} gehört zu keinem Strukturelement`)
          const viaParent = parentArr instanceof PDFArray ? parentArr.get(mcid) : undefined
          if (owner && viaParent !== owner)
            problems.push(`${label}: ParentTree[${mcid}] zeigt nicht auf das Element`)
          if (
            owner &&
            tag !== ctx.lookup(owner, PDFDict).lookup(PDFName.of('S'), PDFName).decodeText()
          ) {
            problems.push(`${label}: Tag /${tag} der MCID ${mcid} weicht vom Strukturtyp ab`)
          }
        }
        if (artifact) report.artifacts++
        stack.push({ ...(mcid !== undefined ? { mcid } : {}), artifact })
      } else if (op === 'EMC') {
        if (!stack.pop()) problems.push(`${label}: EMC ohne BDC`)
      } else if (PAINT.has(op)) {
        report.paintOps++
        if (!stack.some((e) => e.mcid !== undefined || e.artifact))
          problems.push(`${label}: Operator ${op} weder getaggt noch Artefakt`)
      }
      operands = []
    }
    if (stack.length) problems.push(`${label}: ${stack.length} BDC ohne EMC`)
    report.mcids.push(mcidCount)
    for (const a of page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []) {
      const annot = a instanceof PDFRef ? ctx.lookup(a, PDFDict) : undefined
      if (!annot?.get(PDFName.of('StructParent')))
        problems.push(`${label}: Annotation ohne /StructParent`)
      if (!objrs.has(a.toString())) problems.push(`${label}: Annotation ohne OBJR im Strukturbaum`)
    }
  })
  return report
}
