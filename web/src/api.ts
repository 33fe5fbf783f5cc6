// The one client of our API (the generated @gpubroker/client over gRPC-web, same origin) and the
// customer's session: the API key lives in sessionStorage only — never a URL, never localStorage.
import { createGpubrokerClient, toGpubrokerError, type GpubrokerError } from "@gpubroker/client";

const KEY = "gpubroker.apiKey";

export const session = {
  get key(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  set key(value: string | undefined) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};

export const api = createGpubrokerClient({ baseUrl: location.origin, token: () => session.key });

/** Any failure as the client's typed error (code, reason, field violations). */
export function failure(error: unknown): GpubrokerError {
  return toGpubrokerError(error);
}

/** The deployment's pod domain, from the page the server rendered. */
export function podDomain(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="gpubroker-pod-domain"]')?.content ?? "";
}
