/**
 * Permission requests from the page (camera, microphone, notifications, geolocation, MIDI, HID, USB, serial,
 * ...): the studio needs none of them, so every one is refused except writing to the clipboard (the "copy"
 * buttons of the preview and the editor). Used by both `setPermissionRequestHandler` and
 * `setPermissionCheckHandler`, so a check and a request can never disagree.
 */
const ALLOWED: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function permissionDecision(permission: string): boolean {
  return ALLOWED.has(permission);
}
