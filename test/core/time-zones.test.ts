// The one zone list: the runtime's zones under their modern names, grouped by region with offsets at a given moment.
import { canonicalTimeZone, groupTimeZones, RENAMED_TIME_ZONES, timeZoneGroups, timeZoneNames, utcOffsetLabel } from '../../lambdas/core/time-zones';

describe('timeZoneNames', () => {
  const names = timeZoneNames();

  it('offers the modern names, not the retired spellings the runtime lists', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'Asia/Kolkata',
        'Europe/Kyiv',
        'Asia/Ho_Chi_Minh',
        'America/Nuuk',
        'Pacific/Kanton',
        'Africa/Asmara',
        'Pacific/Chuuk',
        'Pacific/Pohnpei',
      ]),
    );
    expect(names.filter((zone) => /Asmera|Coral_Harbour|Ponape|Truk/.test(zone))).toEqual([]);
    for (const retired of Object.keys(RENAMED_TIME_ZONES)) expect(names).not.toContain(retired);
  });

  it('puts UTC first, then every zone once in name order', () => {
    expect(names[0]).toBe('UTC');
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(1)).toEqual([...names.slice(1)].sort());
  });

  it('covers every zone the runtime knows', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(names).toContain(canonicalTimeZone(zone));
  });

  it('holds only names the runtime accepts', () => {
    for (const zone of names) expect(canonicalTimeZone(zone)).toBe(zone);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Etc/UTC', 'UTC'],
    ['GMT', 'UTC'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Berlin', 'Europe/Berlin'],
  ])('%s is %s', (alias, canonical) => {
    expect(canonicalTimeZone(alias)).toBe(canonical);
  });

  it('knows no made-up zone', () => {
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
  });
});

describe('groupTimeZones', () => {
  it('labels each zone with its place and its offset at the moment given, summer time included', () => {
    const winter = new Date('2026-01-15T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    expect(utcOffsetLabel('Europe/Berlin', winter)).toBe('UTC+01:00');
    expect(utcOffsetLabel('Europe/Berlin', summer)).toBe('UTC+02:00');
    expect(groupTimeZones(['UTC', 'America/Argentina/Buenos_Aires', 'America/St_Johns', 'Asia/Kathmandu'], winter)).toEqual([
      { region: 'UTC', zones: [{ name: 'UTC', label: 'UTC' }] },
      {
        region: 'America',
        zones: [
          { name: 'America/Argentina/Buenos_Aires', label: 'Argentina / Buenos Aires (UTC-03:00)' },
          { name: 'America/St_Johns', label: 'St Johns (UTC-03:30)' },
        ],
      },
      { region: 'Asia', zones: [{ name: 'Asia/Kathmandu', label: 'Kathmandu (UTC+05:45)' }] },
    ]);
  });

  it('groups the whole list by region, UTC first, every zone once', () => {
    const groups = timeZoneGroups(new Date('2026-11-28T12:00:00Z'));
    expect(groups[0]).toEqual({ region: 'UTC', zones: [{ name: 'UTC', label: 'UTC' }] });
    expect(groups.map((group) => group.region)).toEqual(expect.arrayContaining(['Africa', 'America', 'Asia', 'Europe', 'Pacific']));
    expect(groups.flatMap((group) => group.zones.map((zone) => zone.name))).toEqual(timeZoneNames());
  });
});
