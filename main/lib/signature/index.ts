export {
  loadPkcs12,
  CertificateError,
  WrongCertificatePasswordError,
  formatName,
  commonNameOf,
} from './identity'
export type { SigningIdentity, CertificateErrorCode } from './identity'
export { createCadesDetachedSignature, PadesCmsSigner } from './cadesSigner'
export {
  signPdf,
  signPdfDocument,
  ltvFromEnvironment,
  drawSignatureBlock,
  reserveSignatureRect,
  defaultSignatureRect,
  formatSigningTime,
  pdfTextLiteral,
  SignatureError,
  SIGNATURE_LENGTH,
  SIGNATURE_LENGTH_WITH_TIMESTAMP,
  SIGNATURE_RECT_KEY,
} from './signPdf'
export type { SignOptions, Rect, SignatureBlockFonts, LtvOptions } from './signPdf'
export {
  httpTimestampSource,
  localTimestampSource,
  parseTimestampToken,
  TimestampError,
} from './timestamp'
export type { TimestampSource, TimestampToken } from './timestamp'
export {
  cdpRevocationSource,
  localRevocationSource,
  crlDistributionPoints,
  RevocationError,
} from './revocation'
export type { RevocationSource, RevocationValues } from './revocation'
export { verifyPadesLtv } from './ltvVerify'
export type { LtvVerification, LtvVerifyOptions } from './ltvVerify'
