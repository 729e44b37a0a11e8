// One content security policy for the renderer, in the desktop window and in
// browser mode: scripts only from the app itself, no plugins, no <base>, no
// framing by another page, and no form posting anywhere.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // CodeMirror writes its theme as style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
