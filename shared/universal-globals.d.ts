/**
 * The few platform globals `shared/` may use: standard APIs that exist in
 * both browsers and Node.js 20 alike. `shared/tsconfig.json` type-checks
 * `shared/` with neither DOM nor Node types, so anything used here that is
 * not declared in this file is a sign that code belongs to one side only.
 * (The root tsconfig leaves this file out: there, DOM and Node types
 * declare these globals already.)
 */
export {};

declare global {
  /** WHATWG URL parser (browsers; Node.js global since 10). */
  class URL {
    constructor(url: string, base?: string);
    readonly origin: string;
    readonly protocol: string;
    readonly host: string;
    readonly hostname: string;
    readonly pathname: string;
    readonly search: string;
    readonly hash: string;
    readonly href: string;
  }

  /** Web Crypto's random source (browsers; Node.js global since 19). */
  var crypto: {
    getRandomValues<T extends Uint8Array>(array: T): T;
  };
}
