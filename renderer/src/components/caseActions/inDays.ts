// The date a number of days after today (YYYY-MM-DD), for proposed deadlines.
export const inDays = (today: string, days: number) =>
  new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
