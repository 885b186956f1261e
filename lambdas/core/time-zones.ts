// The time zones the forms offer: the runtime's IANA names under their modern spelling, grouped by region, each with its UTC offset at a given moment.
import { isValidTimeZone } from './local-time';

/**
 * Zones the runtime's ICU data still names by a retired spelling (Node 24 lists Asia/Calcutta and
 * no Asia/Kolkata), to the name IANA uses today. Generated from tzdata's links whose target ICU does not list.
 */
export const RENAMED_TIME_ZONES: Readonly<Record<string, string>> = Object.freeze({
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
});

const UTC = 'UTC';

/**
 * The modern IANA name of any zone name the runtime accepts: a retired spelling (Europe/Kiev), a
 * link (US/Eastern, Etc/GMT) or the name itself; undefined for a name the runtime does not know.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!isValidTimeZone(name)) return undefined;
  const renamed = RENAMED_TIME_ZONES[name];
  if (renamed) return renamed;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  return RENAMED_TIME_ZONES[resolved] ?? resolved;
}

let names: readonly string[] | undefined;

/** Every zone the runtime knows, under its modern name, UTC first then alphabetical: the one zone list. */
export function timeZoneNames(): readonly string[] {
  names ??= Object.freeze([
    UTC,
    ...[...new Set(Intl.supportedValuesOf('timeZone').map((zone) => RENAMED_TIME_ZONES[zone] ?? zone))].filter((zone) => zone !== UTC).sort(),
  ]);
  return names;
}

/** One zone as the select offers it. */
export interface TimeZoneChoice {
  /** The IANA name submitted. */
  name: string;
  /** 'Kolkata (UTC+05:30)', 'Argentina / Buenos Aires (UTC-03:00)'. */
  label: string;
}

/** The zones of one region ('Europe', 'America'...), in name order. */
export interface TimeZoneGroup {
  region: string;
  zones: TimeZoneChoice[];
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** 'UTC+05:30', 'UTC-03:00' or 'UTC': the zone's offset at `now`. */
export function utcOffsetLabel(zone: string, now: Date): string {
  let formatter = offsetFormatters.get(zone);
  if (!formatter) offsetFormatters.set(zone, (formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  const offset = formatter.formatToParts(now).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  return offset.replace(/^GMT/, 'UTC');
}

function placeOf(zone: string): string {
  return zone.split('/').slice(1).join(' / ').replace(/_/g, ' ');
}

let grouped: { hour: number; groups: readonly TimeZoneGroup[] } | undefined;

/** The zone list grouped by region (UTC alone first), each labelled with its offset at `now`; offsets change on the hour at most. */
export function timeZoneGroups(now: Date): readonly TimeZoneGroup[] {
  const hour = Math.floor(now.getTime() / 3_600_000);
  if (grouped?.hour !== hour) grouped = { hour, groups: groupTimeZones(timeZoneNames(), now) };
  return grouped.groups;
}

/** `zones` grouped by their region in the order given, each labelled with its place and its offset at `now`. */
export function groupTimeZones(zones: readonly string[], now: Date): TimeZoneGroup[] {
  const byRegion = new Map<string, TimeZoneChoice[]>();
  for (const name of zones) {
    const region = name.includes('/') ? name.slice(0, name.indexOf('/')) : name;
    const label = name.includes('/') ? `${placeOf(name)} (${utcOffsetLabel(name, now)})` : name;
    let choices = byRegion.get(region);
    if (!choices) byRegion.set(region, (choices = []));
    choices.push({ name, label });
  }
  return [...byRegion].map(([region, choices]) => ({ region, zones: choices }));
}
