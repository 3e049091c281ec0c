export { loadPkcs12, CertificateError, WrongCertificatePasswordError, formatName, commonNameOf } from './identity'
export type { SigningIdentity, CertificateErrorCode } from './identity'
export { createCadesDetachedSignature, PadesCmsSigner } from './cadesSigner'
export {
  signPdf,
  signPdfDocument,
  drawSignatureBlock,
  reserveSignatureRect,
  defaultSignatureRect,
  formatSigningTime,
  pdfTextLiteral,
  SignatureError,
  SIGNATURE_LENGTH,
  SIGNATURE_RECT_KEY,
} from './signPdf'
export type { SignOptions, Rect, SignatureBlockFonts } from './signPdf'
