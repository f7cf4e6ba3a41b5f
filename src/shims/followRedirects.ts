// axios reaches for `follow-redirects` only when a request allows redirects. Every request here sets
// maxRedirects to 0 (transport.ts; image URL redirects are checked and followed by hand in download.ts),
// so the bundle gives axios Node's own modules instead and leaves out follow-redirects and `debug`
// (about 15 KB minified). A request that allowed redirects would then simply not follow them.
import http from 'node:http';
import https from 'node:https';

export default { http, https };
