/**
 * Minimales, gültiges sRGB-ICC-Profil (ICC v2.1, Geräteklasse „mntr“, RGB → XYZ), erzeugt statt
 * heruntergeladen (auf den Zielrechnern liegt kein /usr/share/color/icc). Inhalt nach
 * IEC 61966-2-1: Primärvalenzen D50-adaptiert (Bradford), Weißpunkt D65, Tonwertkurve als
 * 1024-Punkte-Tabelle der sRGB-Übertragungsfunktion. Deterministisch, ~2,6 KB.
 */

function s15f16(v: number): number {
  return Math.round(v * 65536) | 0
}

let cached: Uint8Array | undefined

export function srgbIccProfile(): Uint8Array {
  if (cached) return cached
  const desc = 'sRGB IEC61966-2.1 (Aktenfluss)'
  const cprt = 'No copyright, use freely'

  const tags: Array<{ sig: string; data: Uint8Array }> = []
  const xyz = (x: number, y: number, z: number) => {
    const b = Buffer.alloc(20)
    b.write('XYZ ', 0, 'ascii')
    b.writeInt32BE(s15f16(x), 8)
    b.writeInt32BE(s15f16(y), 12)
    b.writeInt32BE(s15f16(z), 16)
    return new Uint8Array(b)
  }
  // textDescriptionType (v2)
  {
    const ascii = Buffer.from(desc + '\0', 'latin1')
    const b = Buffer.alloc(12 + ascii.length + 8 + 3 + 67)
    b.write('desc', 0, 'ascii')
    b.writeUInt32BE(ascii.length, 8)
    ascii.copy(b, 12)
    tags.push({ sig: 'desc', data: new Uint8Array(b) })
  }
  {
    const ascii = Buffer.from(cprt + '\0', 'latin1')
    const b = Buffer.alloc(8 + ascii.length)
    b.write('text', 0, 'ascii')
    ascii.copy(b, 8)
    tags.push({ sig: 'cprt', data: new Uint8Array(b) })
  }
  tags.push({ sig: 'wtpt', data: xyz(0.9505, 1.0, 1.089) })
  tags.push({ sig: 'rXYZ', data: xyz(0.4361, 0.2225, 0.0139) })
  tags.push({ sig: 'gXYZ', data: xyz(0.3851, 0.7169, 0.0971) })
  tags.push({ sig: 'bXYZ', data: xyz(0.1431, 0.0606, 0.7141) })
  {
    const n = 1024
    const b = Buffer.alloc(12 + n * 2)
    b.write('curv', 0, 'ascii')
    b.writeUInt32BE(n, 8)
    for (let i = 0; i < n; i++) {
      const v = i / (n - 1)
      const lin = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
      b.writeUInt16BE(Math.round(lin * 65535), 12 + i * 2)
    }
    const curve = new Uint8Array(b)
    tags.push({ sig: 'rTRC', data: curve }, { sig: 'gTRC', data: curve }, { sig: 'bTRC', data: curve })
  }

  const align = (n: number) => (n + 3) & ~3
  const tableSize = 4 + tags.length * 12
  let offset = align(128 + tableSize)
  const placed: Array<{ sig: string; offset: number; size: number; data: Uint8Array }> = []
  const shared = new Map<Uint8Array, number>()
  for (const t of tags) {
    const existing = shared.get(t.data)
    if (existing !== undefined) {
      placed.push({ sig: t.sig, offset: existing, size: t.data.length, data: t.data })
      continue
    }
    shared.set(t.data, offset)
    placed.push({ sig: t.sig, offset, size: t.data.length, data: t.data })
    offset = align(offset + t.data.length)
  }
  const total = offset
  const out = Buffer.alloc(total)
  out.writeUInt32BE(total, 0)
  out.writeUInt32BE(0x02100000, 8)
  out.write('mntr', 12, 'ascii')
  out.write('RGB ', 16, 'ascii')
  out.write('XYZ ', 20, 'ascii')
  ;[2026, 1, 1, 0, 0, 0].forEach((v, i) => out.writeUInt16BE(v, 24 + i * 2))
  out.write('acsp', 36, 'ascii')
  out.writeInt32BE(s15f16(0.9642), 68)
  out.writeInt32BE(s15f16(1.0), 72)
  out.writeInt32BE(s15f16(0.8249), 76)
  out.writeUInt32BE(tags.length, 128)
  placed.forEach((t, i) => {
    const p = 132 + i * 12
    out.write(t.sig, p, 'ascii')
    out.writeUInt32BE(t.offset, p + 4)
    out.writeUInt32BE(t.size, p + 8)
  })
  for (const t of placed) Buffer.from(t.data).copy(out, t.offset)
  cached = new Uint8Array(out)
  return cached
}
