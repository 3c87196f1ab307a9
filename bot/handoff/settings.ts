/**
 * @module bot/handoff/settings
 * The handoff's settings as the desk uses them, from a Config or from the part of one a test
 * gives; whatever is missing takes its default.
 */
import type { Config } from '../config.js'
import type { Language } from '../i18n.js'
import { createOfficeHours, type OfficeHours } from './office-hours.js'
import { handoffDefaults, type HandoffSettingValues } from './settings-shape.js'

export type HandoffConfig = Partial<
  Pick<
    Config,
    'TZ' | 'PUBLIC_URL' | 'DEFAULT_LANGUAGE' | 'TRANSCRIPT_RETENTION_DAYS' | 'SMS_MAX_SEGMENTS'
  > &
    HandoffSettingValues
>

export type HandoffSettings = HandoffSettingValues & {
  TZ: string
  /** Where the console is, for links in staff alerts. */
  consoleUrl: string
  /** Staff-facing texts (console, alert SMS) are in this language. */
  staffLanguage: Language
  retentionDays: number
  /** Segment budget of one SMS body, for the console's count before sending. */
  smsMaxSegments: number
  officeHours: OfficeHours
}

export function handoffSettings(config: HandoffConfig): HandoffSettings {
  const values: HandoffSettingValues = { ...handoffDefaults }
  for (const key of Object.keys(handoffDefaults) as (keyof HandoffSettingValues)[]) {
    if (config[key] !== undefined) Object.assign(values, { [key]: config[key] })
  }
  const TZ = config.TZ ?? 'Europe/Oslo'
  return {
    ...values,
    TZ,
    consoleUrl: `${config.PUBLIC_URL ?? 'http://localhost:3978'}/console`,
    staffLanguage: config.DEFAULT_LANGUAGE ?? 'nb',
    retentionDays: config.TRANSCRIPT_RETENTION_DAYS ?? 90,
    smsMaxSegments: config.SMS_MAX_SEGMENTS ?? 2,
    officeHours: createOfficeHours({
      hours: values.OFFICE_HOURS,
      holidays: values.HOLIDAYS,
      zone: TZ,
    }),
  }
}
