// Security headers (helmet) with a strict CSP: scripts and styles only from our origin,
// no inline script, no eval, no framing. HSTS only in production (behind HTTPS); a production lab
// on plain HTTP (ALLOW_INSECURE_HTTP) keeps its subresources on HTTP (no upgrade-insecure-requests).
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(isProduction: boolean, servedOverHttps = isProduction): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: servedOverHttps ? [] : null,
      },
    },
    strictTransportSecurity: isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

/** Private and form pages must never be kept by a browser or proxy cache. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
