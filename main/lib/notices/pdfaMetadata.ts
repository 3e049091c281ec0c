// PDF/A-2- und PDF/UA-Kennzeichnung des Briefs: Dokumentinfo, XMP, OutputIntent (sRGB), Trailer-ID.
import { createHash } from 'node:crypto'
import { PDFHexString, PDFName, PDFString } from 'pdf-lib'
import type { PDFDocument } from 'pdf-lib'
import type { LetterSpec } from './letterSpec'
import { srgbIccProfileDeflated } from './srgbIcc'

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  )
}

function xmpDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function buildXmp(meta: {
  title: string
  author: string
  subject: string
  keywords: string
  creator: string
  producer: string
  date: Date
}): string {
  const d = xmpDate(meta.date)
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${escapeXml(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>de-DE</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>${escapeXml(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${d}</xmp:CreateDate>
   <xmp:ModifyDate>${d}</xmp:ModifyDate>
   <xmp:MetadataDate>${d}</xmp:MetadataDate>
   <pdf:Producer>${escapeXml(meta.producer)}</pdf:Producer>
   <pdf:Keywords>${escapeXml(meta.keywords)}</pdf:Keywords>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`
}

/** Dokumentinfo, XMP, OutputIntent, Sprache, Trailer-ID. */
export function applyPdfA(doc: PDFDocument, spec: LetterSpec, now: Date): void {
  const creator = 'Aktenfluss'
  const producer = 'Aktenfluss (pdf-lib)'
  const keywords = spec.metadata.keywords.join(', ')
  doc.setTitle(spec.metadata.title, { showInWindowTitleBar: true })
  doc.setAuthor(spec.authority.name)
  doc.setSubject(spec.metadata.subject)
  doc.setKeywords([keywords])
  doc.setCreator(creator)
  doc.setProducer(producer)
  doc.setLanguage('de-DE')
  doc.setCreationDate(now)
  doc.setModificationDate(now)

  const ctx = doc.context
  const xmp = buildXmp({
    title: spec.metadata.title,
    author: spec.authority.name,
    subject: spec.metadata.subject,
    keywords,
    creator,
    producer,
    date: now,
  })
  const metadata = ctx.stream(new Uint8Array(Buffer.from(xmp, 'utf8')), {
    Type: 'Metadata',
    Subtype: 'XML',
  })
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(metadata))

  // einmal pro Prozess komprimiert (das Profil ist bei jedem Bescheid dasselbe)
  const icc = ctx.stream(srgbIccProfileDeflated(), { N: 3, Filter: 'FlateDecode' })
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: ctx.register(icc),
  })
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]))

  const id = createHash('md5')
    .update(`${spec.aktenzeichen}|${spec.date}|${now.toISOString()}|${spec.metadata.title}`)
    .digest('hex')
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)])
}
