/* global process, URL */
// Preloaded into the built action (`node --import`) by the tests: sends requests for the providers'
// official API hosts to the local fakes at KH_FAKE_PROVIDERS_URL. The action itself has no base-URL
// override: it builds and guards the official URLs, and this test-only hook reroutes them underneath.
const base = process.env.KH_FAKE_PROVIDERS_URL;
const HOSTS = new Set(['api.openai.com', 'api.anthropic.com']);
if (base) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol === 'https:' && HOSTS.has(url.hostname)) return realFetch(`${base}/${url.hostname}${url.pathname}${url.search}`, init);
    return realFetch(input, init);
  };
}
