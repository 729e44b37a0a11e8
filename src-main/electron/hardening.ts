// The desktop window's locks as small functions over the few parts of
// Electron they touch, so they are tested without Electron's binary: the
// page may go nowhere but the app's own origin, open no window, and is
// granted no permission.
export { CONTENT_SECURITY_POLICY } from '../host/content-security-policy.ts';

export const APP_SCHEME = 'porchlight';
export const APP_HOST = 'app';
/** The origin the renderer is served from; with the trailing slash, the prefix of every URL of the app. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}/`;

/** Only the app's own pages: porchlight://app/..., with no user, password or port. */
export function isAllowedNavigation(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/** The parts of an Electron Session the permission lock uses. */
export interface PermissionSessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

/** Porchlight asks for no permission (camera, notifications, clipboard, HID...), so every request and check is refused. */
export function denyPermissions(session: PermissionSessionLike): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export interface NavigationEventLike {
  /** Electron 25+ puts the target on the event; older signatures pass it second. */
  url?: string;
  preventDefault(): void;
}

/** The parts of Electron's WebContents the navigation lock uses. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: NavigationEventLike, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Every web contents: no navigation or redirect (of the page or any frame) off the app's origin, no new windows, no <webview>. */
export function guardWebContents(contents: WebContentsLike): void {
  const stayHome = (event: NavigationEventLike, url?: string) => {
    if (!isAllowedNavigation(event.url ?? url ?? '')) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
