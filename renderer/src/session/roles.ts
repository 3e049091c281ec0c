export const roleLabel = {
  clerk: 'Sachbearbeitung',
  lead: 'Sachgebietsleitung',
  records: 'Registratur',
  readonly: 'nur lesen',
} as const
