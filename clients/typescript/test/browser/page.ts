// Bundled for the browser test (esbuild): what a web app does with the client, run in Chromium
// on a page served from another origin than the server's.
import { Code, GpubrokerError, Plan, createGpubrokerClient } from "../../src/index.js";

export interface PageResult {
  rucValid?: boolean;
  typedError?: { code: number; field: string };
  restValid?: boolean;
  failure?: string;
}

async function run(baseUrl: string): Promise<PageResult> {
  const result: PageResult = {};
  try {
    const client = createGpubrokerClient({ baseUrl });
    result.rucValid = (await client.validation.validateRuc({ ruc: "1790011674001" })).valid;
    try {
      await client.subscriptions.createSubscription({ email: "nope", plan: Plan.TRIAL, taxId: "1790011674001" });
    } catch (error) {
      if (error instanceof GpubrokerError) {
        result.typedError = { code: error.code, field: error.fieldViolations[0]?.field ?? "" };
      } else {
        throw error;
      }
    }
    const rest = await fetch(`${baseUrl}/api/v2/admin/public/validate/ruc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ruc: "1790011674001" }),
    });
    result.restValid = (await rest.json()).valid;
  } catch (error) {
    result.failure = error instanceof GpubrokerError ? `${Code[error.code]}: ${error.rawMessage}` : String(error);
  }
  return result;
}

(globalThis as unknown as { runChecks: typeof run }).runChecks = run;
