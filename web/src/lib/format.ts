import { locale } from '../i18n';

const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatSize(bytes: number): string {
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const n = new Intl.NumberFormat(locale.get(), { maximumFractionDigits: i === 0 ? 0 : v < 10 ? 1 : 0 }).format(v);
  return n + ' ' + units[i];
}

/**
 * The time zone dates are shown in: the one picked in the settings (kept
 * in this browser: the account API has no time zone field), else the device's.
 */
export const TZ_KEY = 'stratus.tz';
const zone = () => localStorage.getItem(TZ_KEY) || undefined;

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 1971) return '';
  try {
    return new Intl.DateTimeFormat(locale.get(), { dateStyle: 'medium', timeStyle: 'short', timeZone: zone() }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale.get(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  }
}

export function formatDuration(seconds: number): string {
  if (!isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return Math.ceil(seconds) + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.round((seconds % 3600) / 60) + ' min';
}
