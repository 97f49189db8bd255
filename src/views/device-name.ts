/**
 * A session's device in words for "Mijn account" ("Chrome op Windows", "Safari op iPhone"),
 * parsed from the stored user agent at display time (the stored value stays as it came).
 * Parser: bowser (MIT).
 */
import Bowser from 'bowser';

export const UNKNOWN_DEVICE = 'Onbekend apparaat';

/** "Chrome op Windows"; the browser or the system alone when only one is known; else "Onbekend apparaat". */
export function deviceName(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return UNKNOWN_DEVICE;
  let parsed: Bowser.Parser.ParsedResult;
  try {
    parsed = Bowser.parse(ua);
  } catch {
    return UNKNOWN_DEVICE;
  }
  const browser = parsed.browser.name?.trim() || null;
  // An iPhone or iPad says so; other systems by name (Windows, macOS, Linux, Android, Chrome OS).
  const model = parsed.platform.vendor === 'Apple' ? parsed.platform.model?.trim() : undefined;
  const system = model || parsed.os.name?.trim() || null;
  if (browser && system) return `${browser} op ${system}`;
  if (browser) return browser;
  if (system) return `Browser op ${system}`;
  return UNKNOWN_DEVICE;
}
