// The operator's session. The access token lives in memory only; the rotating refresh token in
// sessionStorage (this tab only), so a reload or a new page signs back in without the password.
// The access token is renewed before it expires; a call refused as unauthenticated renews once and
// retries; when renewal fails the operator goes to sign-in and comes back to the page they were on.
import { Code, Role, createGpubrokerClient, type LoginResponse, type RefreshResponse } from "@gpubroker/client";

import { failure } from "../api.js";

const REFRESH = "gpubroker.admin.refresh";
const WHO = "gpubroker.admin.who";

let access: string | undefined;
let timer: number | undefined;
let renewing: Promise<boolean> | undefined;

/** The generated client, authenticated as the operator. */
export const adminApi = createGpubrokerClient({ baseUrl: location.origin, token: () => access });

export interface Who {
  email: string;
  role: Role;
}

export function who(): Who | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(WHO) ?? "null") ?? undefined;
  } catch {
    return undefined;
  }
}

/** May the operator do what `needed` allows? (The server decides again on every call.) */
export function may(needed: Role): boolean {
  return (who()?.role ?? Role.UNSPECIFIED) >= needed;
}

function adopt(answer: LoginResponse | RefreshResponse, email: string): void {
  access = answer.accessToken;
  sessionStorage.setItem(REFRESH, answer.refreshToken);
  sessionStorage.setItem(WHO, JSON.stringify({ email, role: answer.role }));
  const seconds = Number(answer.expiresIn?.seconds ?? 0n);
  window.clearTimeout(timer);
  // Renewed a minute early (half-way for short-lived tokens), so calls never meet an expired one.
  timer = window.setTimeout(() => void renew(), Math.max(5, Math.min(seconds - 60, seconds / 2)) * 1000);
}

export async function signIn(email: string, password: string): Promise<void> {
  const answer = await adminApi.auth.login({ email, password });
  adopt(answer, answer.user?.email || email);
}

/** A new access token from the refresh token (which rotates); false when there is none or it died. */
export function renew(): Promise<boolean> {
  renewing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH);
    if (!refreshToken) return false;
    try {
      adopt(await adminApi.auth.refresh({ refreshToken }), who()?.email ?? "");
      return true;
    } catch {
      forget();
      return false;
    }
  })().finally(() => {
    renewing = undefined;
  });
  return renewing;
}

/** Signed in now (renewing from the refresh token after a reload)? */
export async function signedIn(): Promise<boolean> {
  return access !== undefined || renew();
}

/** Runs a call; an expired session renews once and retries, or goes to sign-in. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (failure(error).code !== Code.Unauthenticated) throw error;
    if (await renew()) return run();
    toSignIn();
    throw error;
  }
}

export async function signOut(): Promise<void> {
  const refreshToken = sessionStorage.getItem(REFRESH);
  forget();
  if (refreshToken) {
    try {
      await adminApi.auth.logout({ refreshToken });
    } catch {
      // Revoked or expired already: signed out either way.
    }
  }
  location.replace("/admin/login");
}

function forget(): void {
  access = undefined;
  window.clearTimeout(timer);
  sessionStorage.removeItem(REFRESH);
  sessionStorage.removeItem(WHO);
}

/** To sign-in, coming back here afterwards. */
export function toSignIn(): void {
  const next = location.pathname + location.search;
  location.replace(`/admin/login?next=${encodeURIComponent(next)}`);
}
