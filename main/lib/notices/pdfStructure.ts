/**
 * Getaggtes PDF (ISO 32000-1, 14.7–14.8; PDF/UA-1) auf pdf-lib: Strukturbaum, markierte Inhalte,
 * Artefakte.
 *
 *  - {@link PdfStructure.create} legt StructTreeRoot (mit ParentTree, ParentTreeNextKey) und das
 *    Wurzelelement „Document“ an, setzt /MarkInfo << /Marked true >> und /Lang;
 *  - {@link PdfStructure.content} klammert die Zeichenoperationen eines Elements in
 *    `/Tag <</MCID n>> BDC … EMC` und hängt die Inhaltsmarke (MCID, bzw. MCR auf anderen Seiten)
 *    an das Element; die Seite bekommt /StructParents und einen ParentTree-Eintrag;
 *  - {@link PdfStructure.artifact} klammert Schmuck (Falzmarken, Linien, Kopf-/Fußzeilen) in
 *    `/Artifact <</Type …>> BDC … EMC`;
 *  - {@link PdfStructure.annotation} verknüpft ein Widget (Signaturfeld) über OBJR und /StructParent;
 *  - {@link PdfStructure.open} liest den Baum eines schon gesetzten (auch geladenen) Dokuments
 *    wieder ein, damit beim Signieren der Signaturblock getaggt ergänzt werden kann.
 *
 * Alle Zähler (MCID je Seite, ParentTree-Schlüssel) stehen in den PDF-Objekten selbst; es gibt
 * keinen Abschluss-Schritt, der vergessen werden kann.
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  PDFRef,
  PDFString,
} from 'pdf-lib'
import type { PDFDocument, PDFPage } from 'pdf-lib'

/** Standard-Strukturtypen (ISO 32000-1, 14.8.4), die hier vorkommen. */
export type StructType =
  | 'Document'
  | 'Sect'
  | 'Div'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'P'
  | 'L'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Table'
  | 'TR'
  | 'TH'
  | 'TD'
  | 'Form'
  | 'Span'
  | 'Note'

/** Titel (/T) des Struktur-Platzhalters, in den beim Signieren der Signaturblock kommt (signPdf.ts). */
export const SIGNATURE_STRUCT_TITLE = 'Signatur'

export type ArtifactType = 'Layout' | 'Pagination' | 'Page'

export interface StructElem {
  readonly ref: PDFRef
  readonly dict: PDFDict
  readonly type: StructType
}

export interface ElemOptions {
  /** Titel (/T), z. B. „Anschrift“ */
  title?: string
  /** Alternativtext (/Alt) */
  alt?: string
  /** Attribute (/A), z. B. { O: 'Table', Scope: 'Row' } */
  attributes?: Record<string, string>
  /** vor dieses Geschwister einfügen statt anhängen */
  before?: StructElem
}

const K = PDFName.of('K')

/** PDF-Textstring: ASCII als Literal, sonst UTF-16BE mit BOM (als Hex-String). */
export function pdfText(text: string): PDFString | PDFHexString {
  if (/^[\x20-\x7e]*$/.test(text)) return PDFString.of(text.replace(/[()\\]/g, (c) => `\\${c}`))
  let hex = 'FEFF'
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0')
  return PDFHexString.of(hex)
}

export class PdfStructure {
  private constructor(
    private readonly doc: PDFDocument,
    private readonly root: PDFDict,
    private readonly nums: PDFArray,
    readonly document: StructElem,
  ) {}

  /** Neuer Strukturbaum für ein frisches Dokument. */
  static create(doc: PDFDocument, opts: { lang: string }): PdfStructure {
    const ctx = doc.context
    const nums = ctx.obj([])
    const parentTree = ctx.obj({ Nums: nums })
    const root = ctx.obj({
      Type: 'StructTreeRoot',
      ParentTree: ctx.register(parentTree),
      ParentTreeNextKey: 0,
    })
    const rootRef = ctx.register(root)
    const docDict = ctx.obj({
      Type: 'StructElem',
      S: 'Document',
      P: rootRef,
      K: ctx.obj([]),
      Lang: PDFString.of(opts.lang),
    })
    const docRef = ctx.register(docDict)
    root.set(K, ctx.obj([docRef]))
    doc.catalog.set(PDFName.of('StructTreeRoot'), rootRef)
    doc.catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }))
    doc.catalog.set(PDFName.of('Lang'), PDFString.of(opts.lang))
    return new PdfStructure(doc, root, nums, { ref: docRef, dict: docDict, type: 'Document' })
  }

  /** Vorhandenen Baum lesen (erstes Kind der Wurzel = Dokument-Element); undefined, wenn ungetaggt. */
  static open(doc: PDFDocument): PdfStructure | undefined {
    const rootRef = doc.catalog.get(PDFName.of('StructTreeRoot'))
    if (!(rootRef instanceof PDFRef)) return undefined
    const root = doc.context.lookup(rootRef, PDFDict)
    const kids = root.lookup(K)
    const docRef = kids instanceof PDFArray ? kids.get(0) : kids
    if (!(docRef instanceof PDFRef)) return undefined
    const docDict = doc.context.lookup(docRef, PDFDict)
    const parentTree = root.lookup(PDFName.of('ParentTree'), PDFDict)
    const nums = parentTree.lookup(PDFName.of('Nums'), PDFArray)
    return new PdfStructure(doc, root, nums, { ref: docRef, dict: docDict, type: 'Document' })
  }

  private kids(el: StructElem): PDFArray {
    const k = el.dict.lookup(K)
    if (k instanceof PDFArray) return k
    const arr = this.doc.context.obj(k ? [k] : [])
    el.dict.set(K, arr)
    return arr
  }

  /** Neues Strukturelement unter `parent` (Standard: Document). */
  elem(type: StructType, parent: StructElem = this.document, opts: ElemOptions = {}): StructElem {
    const ctx = this.doc.context
    const dict = ctx.obj({ Type: 'StructElem', S: type, P: parent.ref, K: ctx.obj([]) })
    if (opts.title) dict.set(PDFName.of('T'), pdfText(opts.title))
    if (opts.alt) dict.set(PDFName.of('Alt'), pdfText(opts.alt))
    if (opts.attributes) {
      const a: Record<string, PDFName> = {}
      for (const [k, v] of Object.entries(opts.attributes)) a[k] = PDFName.of(v)
      dict.set(PDFName.of('A'), ctx.obj(a))
    }
    const ref = ctx.register(dict)
    const siblings = this.kids(parent)
    const at = opts.before ? siblings.asArray().findIndex((r) => r === opts.before?.ref) : -1
    if (at >= 0) siblings.insert(at, ref)
    else siblings.push(ref)
    return { ref, dict, type }
  }

  /** Sucht (Tiefensuche unter Document) das erste Strukturelement mit diesem Titel (/T). */
  findByTitle(title: string, from: StructElem = this.document): StructElem | undefined {
    for (const r of this.kids(from).asArray()) {
      if (!(r instanceof PDFRef)) continue
      const d = this.doc.context.lookup(r)
      if (!(d instanceof PDFDict) || d.get(PDFName.of('Type'))?.toString() !== '/StructElem')
        continue
      const el: StructElem = {
        ref: r,
        dict: d,
        type: d.lookup(PDFName.of('S'), PDFName).decodeText() as StructType,
      }
      const t = d.lookup(PDFName.of('T'))
      if ((t instanceof PDFString || t instanceof PDFHexString) && t.decodeText() === title)
        return el
      const inner = this.findByTitle(title, el)
      if (inner) return inner
    }
    return undefined
  }

  /** Entfernt ein Element ohne Inhalt (z. B. den ungenutzten Platzhalter der Signatur). */
  removeIfEmpty(el: StructElem): void {
    if (this.kids(el).size() > 0) return
    const parentRef = el.dict.get(PDFName.of('P'))
    const parent =
      parentRef instanceof PDFRef ? this.doc.context.lookup(parentRef, PDFDict) : undefined
    const siblings = parent?.lookup(K)
    if (siblings instanceof PDFArray) {
      const i = siblings.asArray().findIndex((r) => r === el.ref)
      if (i >= 0) siblings.remove(i)
    }
    this.doc.context.delete(el.ref)
  }

  /** ParentTree-Array der Seite (legt Schlüssel und /StructParents beim ersten Mal an). */
  private pageParents(page: PDFPage): PDFArray {
    const key = page.node.get(PDFName.of('StructParents'))
    if (key instanceof PDFNumber) {
      const n = key.asNumber()
      for (let i = 0; i < this.nums.size(); i += 2) {
        const k = this.nums.get(i)
        if (k instanceof PDFNumber && k.asNumber() === n)
          return this.doc.context.lookup(this.nums.get(i + 1), PDFArray)
      }
    }
    const n = this.nextKey()
    const arr = this.doc.context.obj([])
    this.nums.push(PDFNumber.of(n))
    this.nums.push(this.doc.context.register(arr))
    page.node.set(PDFName.of('StructParents'), PDFNumber.of(n))
    page.node.set(PDFName.of('Tabs'), PDFName.of('S'))
    return arr
  }

  private nextKey(): number {
    const next = this.root.lookup(PDFName.of('ParentTreeNextKey'))
    const n = next instanceof PDFNumber ? next.asNumber() : 0
    this.root.set(PDFName.of('ParentTreeNextKey'), PDFNumber.of(n + 1))
    return n
  }

  /** Zeichnet `draw` als markierten Inhalt von `el` (eine MCID). */
  content<T>(page: PDFPage, el: StructElem, draw: () => T): T {
    this.begin(page, el)
    const out = draw()
    this.end(page)
    return out
  }

  /** Beginnt markierten Inhalt von `el` auf `page` (für Absätze, die über Seiten laufen); mit {@link end} schließen. */
  begin(page: PDFPage, el: StructElem): void {
    const parents = this.pageParents(page)
    const mcid = parents.size()
    parents.push(el.ref)
    page.pushOperators(
      PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
        PDFName.of(el.type),
        `<</MCID ${mcid}>>`,
      ]),
    )
    const pg = el.dict.get(PDFName.of('Pg'))
    if (!pg) el.dict.set(PDFName.of('Pg'), page.ref)
    if (!pg || pg === page.ref) this.kids(el).push(PDFNumber.of(mcid))
    else this.kids(el).push(this.doc.context.obj({ Type: 'MCR', Pg: page.ref, MCID: mcid }))
  }

  end(page: PDFPage): void {
    page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent))
  }

  /** Zeichnet `draw` als Artefakt (kein Teil der Lesereihenfolge). */
  artifact<T>(
    page: PDFPage,
    draw: () => T,
    type: ArtifactType = 'Layout',
    subtype?: 'Header' | 'Footer' | 'Watermark',
  ): T {
    const props = `<</Type /${type}${subtype ? ` /Subtype /${subtype}` : ''}>>`
    page.pushOperators(
      PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Artifact'), props]),
    )
    const out = draw()
    page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent))
    return out
  }

  /** Verknüpft eine Annotation (z. B. das Signatur-Widget) mit einem Element (OBJR). */
  annotation(page: PDFPage, el: StructElem, annotRef: PDFRef): void {
    const ctx = this.doc.context
    const annot = ctx.lookup(annotRef, PDFDict)
    const key = this.nextKey()
    annot.set(PDFName.of('StructParent'), PDFNumber.of(key))
    this.nums.push(PDFNumber.of(key))
    this.nums.push(el.ref)
    this.kids(el).push(ctx.obj({ Type: 'OBJR', Obj: annotRef, Pg: page.ref }))
    page.node.set(PDFName.of('Tabs'), PDFName.of('S'))
  }
}
