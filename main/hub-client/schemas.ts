// zod schemas for every hub response the desk reads (docs/hub-protocol.md, "Intake").
import { z } from 'zod'

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
const jwe = z
  .string()
  .max(60_000_000)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/, 'not a JWE compact token')

export const tokenResponse = z.object({
  access_token: z.string().min(1).max(4096),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
})

export const problemDocument = z.object({
  type: z.string().max(2000).optional(),
  title: z.string().max(2000).optional(),
  status: z.number().int().optional(),
  detail: z.string().max(10_000).optional(),
  instance: z.string().max(2000).optional(),
})

export const submissionRef = z.object({ destinationId: uuid, submissionId: uuid, caseId: uuid })
export const submissionList = z.object({
  totalCount: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  submissions: z.array(submissionRef).max(10_000),
})

export const submission = z.object({
  submissionId: uuid,
  caseId: uuid,
  destinationId: uuid,
  serviceType: z.object({ name: z.string().max(1000), identifier: z.string().max(1000) }),
  attachments: z.array(uuid).max(1000),
  encryptedMetadata: jwe,
  encryptedData: jwe.optional(),
})

export const eventLog = z.object({ eventLog: z.array(z.string().max(100_000)).max(10_000) })

export const destination = z.object({
  destinationId: uuid,
  status: z.string(),
  encryptionKid: z.string().min(1).max(200),
  services: z
    .array(
      z.object({
        identifier: z.string().max(1000),
        name: z.string().max(1000).optional(),
        submissionSchemas: z
          .array(z.object({ schemaUri: z.string().max(2000), mimeType: z.string().max(200) }))
          .max(100),
      }),
    )
    .max(1000),
  metadataVersions: z.array(z.string()).max(100).optional(),
})

export const publicJwk = z
  .object({
    kty: z.literal('RSA'),
    n: z.string().max(2000),
    e: z.string().max(20),
    kid: z.string().max(200).optional(),
    alg: z.string().optional(),
  })
  .loose()

export type SubmissionRef = z.infer<typeof submissionRef>
export type SubmissionList = z.infer<typeof submissionList>
export type Submission = z.infer<typeof submission>
export type Destination = z.infer<typeof destination>
export type PublicJwk = z.infer<typeof publicJwk>
