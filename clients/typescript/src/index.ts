// Typed GPUBROKER client: one promise client per service of the contract over gRPC-web, usable
// from browsers and Node (global fetch). Messages and services are generated from proto/ into
// ./gen by ../generate; this file only adds credentials and typed errors.
import { Code, ConnectError, createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { BinaryReader } from "@bufbuild/protobuf/wire";

import { AuthService } from "./gen/gpubroker/v1/auth_pb.js";
import { AgentBudgetService } from "./gen/gpubroker/v1/budget_pb.js";
import { PaymentService } from "./gen/gpubroker/v1/payment_pb.js";
import { PodService } from "./gen/gpubroker/v1/pod_pb.js";
import { SubscriptionService } from "./gen/gpubroker/v1/subscription_pb.js";
import { ValidationService } from "./gen/gpubroker/v1/validation_pb.js";

export * from "./gen/gpubroker/v1/auth_pb.js";
export * from "./gen/gpubroker/v1/budget_pb.js";
export * from "./gen/gpubroker/v1/common_pb.js";
export * from "./gen/gpubroker/v1/events_pb.js";
export * from "./gen/gpubroker/v1/payment_pb.js";
export * from "./gen/gpubroker/v1/pod_pb.js";
export * from "./gen/gpubroker/v1/subscription_pb.js";
export * from "./gen/gpubroker/v1/validation_pb.js";
export { Code, ConnectError } from "@connectrpc/connect";

export interface ClientOptions {
  /** Where the server listens, e.g. `https://api.gpubroker.site` (no trailing path). */
  baseUrl: string;
  /**
   * The credential sent as `authorization: Bearer …`: an admin access token, a customer API key
   * (`gpk_…`) or a pod token (`gpt_…`). A function is asked on every call, so a refreshed token
   * is picked up without rebuilding the client.
   */
  token?: string | (() => string | undefined);
  /** Replaces fetch (tests, custom agents). */
  fetch?: typeof globalThis.fetch;
}

/** One typed client per service, sharing one transport. */
export interface GpubrokerClient {
  validation: Client<typeof ValidationService>;
  subscriptions: Client<typeof SubscriptionService>;
  payments: Client<typeof PaymentService>;
  pods: Client<typeof PodService>;
  budgets: Client<typeof AgentBudgetService>;
  auth: Client<typeof AuthService>;
  transport: Transport;
}

export function createGpubrokerClient(options: ClientOptions): GpubrokerClient {
  const bearer: Interceptor = (next) => async (request) => {
    const token = typeof options.token === "function" ? options.token() : options.token;
    if (token && !request.header.has("authorization")) {
      request.header.set("authorization", `Bearer ${token}`);
    }
    let response;
    try {
      response = await next(request);
    } catch (error) {
      throw toGpubrokerError(error);
    }
    // A server stream can also fail after its first message: type those errors too.
    return response.stream ? { ...response, message: typedErrors(response.message) } : response;
  };
  const transport = createGrpcWebTransport({
    baseUrl: options.baseUrl,
    interceptors: [bearer],
    fetch: options.fetch,
  });
  return {
    validation: createClient(ValidationService, transport),
    subscriptions: createClient(SubscriptionService, transport),
    payments: createClient(PaymentService, transport),
    pods: createClient(PodService, transport),
    budgets: createClient(AgentBudgetService, transport),
    auth: createClient(AuthService, transport),
    transport,
  };
}

/** A field the server rejected (google.rpc.BadRequest.FieldViolation). */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * Every failed call: the gRPC status code plus the server's error details decoded —
 * `reason` (google.rpc.ErrorInfo, e.g. `BUDGET_EXCEEDED`) and `fieldViolations`.
 */
export class GpubrokerError extends ConnectError {
  readonly reason: string | undefined;
  readonly fieldViolations: FieldViolation[];

  constructor(cause: ConnectError) {
    super(cause.rawMessage, cause.code, cause.metadata, undefined, cause);
    // The name stays "ConnectError": connect recognises its errors by name (Symbol.hasInstance)
    // and would otherwise wrap this one again, dropping the decoded details.
    this.details = cause.details;
    let reason: string | undefined;
    const fieldViolations: FieldViolation[] = [];
    for (const detail of cause.details) {
      if (!("type" in detail) || !(detail.value instanceof Uint8Array)) continue;
      try {
        if (detail.type === "google.rpc.ErrorInfo") reason = decodeErrorInfoReason(detail.value);
        if (detail.type === "google.rpc.BadRequest") fieldViolations.push(...decodeBadRequest(detail.value));
      } catch {
        // A detail we cannot read leaves the code and message intact.
      }
    }
    this.reason = reason;
    this.fieldViolations = fieldViolations;
  }

  // ConnectError's own check accepts any error shaped like a ConnectError; this one asks for a
  // real GpubrokerError, so `instanceof` tells whether the details were decoded.
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && GpubrokerError.prototype.isPrototypeOf(value);
  }

  /** The code's canonical gRPC name, e.g. `INVALID_ARGUMENT`. */
  get codeName(): string {
    return Code[this.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  }
}

async function* typedErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw toGpubrokerError(error);
  }
}

/** Wraps anything thrown by a call; errors that are already typed pass through. */
export function toGpubrokerError(error: unknown): GpubrokerError {
  if (error instanceof GpubrokerError) return error;
  return new GpubrokerError(ConnectError.from(error));
}

// google.rpc.ErrorInfo { string reason = 1; string domain = 2; map<string,string> metadata = 3; }
function decodeErrorInfoReason(bytes: Uint8Array): string | undefined {
  const reader = new BinaryReader(bytes);
  let reason: string | undefined;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) reason = reader.string();
    else reader.skip(wireType);
  }
  return reason;
}

// google.rpc.BadRequest { repeated FieldViolation field_violations = 1; }
// FieldViolation { string field = 1; string description = 2; }
function decodeBadRequest(bytes: Uint8Array): FieldViolation[] {
  const reader = new BinaryReader(bytes);
  const violations: FieldViolation[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field !== 1) {
      reader.skip(wireType);
      continue;
    }
    const inner = new BinaryReader(reader.bytes());
    const violation: FieldViolation = { field: "", description: "" };
    while (inner.pos < inner.len) {
      const [f, w] = inner.tag();
      if (f === 1) violation.field = inner.string();
      else if (f === 2) violation.description = inner.string();
      else inner.skip(w);
    }
    violations.push(violation);
  }
  return violations;
}
