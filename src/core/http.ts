import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { DomainError, RateLimitedError } from "./errors.ts";
import { explainIssue, type IssueLike } from "./validation.ts";
import type { Logger } from "pino";

/**
 * Every route declares the policy action it is decided by:
 *   app.get("/x", { config: { policy: "catalog.entry.read" } }, handler)
 * A route without one fails at start-up (see onRoute below), so it cannot ship.
 * "public" means: anyone, no login (still a decision, written down).
 */
declare module "fastify" {
  interface FastifyContextConfig {
    policy?: string;
  }
}

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>;

export interface BuildHttpOptions {
  logger: Logger;
  bodyLimit: number;
  /** Called before the handler with the route's declared policy action. */
  authorize(req: FastifyRequest, action: string): Promise<void>;
  /** Resolves the actor (session cookie or API token) onto the request. */
  authenticate(req: FastifyRequest): Promise<void>;
  /** The set of policy actions that exist; a route naming another fails at start-up. */
  knownActions: ReadonlySet<string>;
  /** Serve index.html (via @fastify/static's reply.sendFile) for unknown non-API GETs: the web app's routes. */
  spaFallback?: boolean;
}

export interface RoutePolicy {
  method: string;
  url: string;
  policy?: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route and the policy action that decides it (tests check that none is missing). */
    routePolicies: RoutePolicy[];
  }
}

export async function buildHttp(opts: BuildHttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit,
    disableRequestLogging: false,
    trustProxy: false,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routePolicies: RoutePolicy[] = [];
  app.decorate("routePolicies", routePolicies);
  app.addHook("onRoute", (route) => {
    const policy = route.config?.policy;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== "HEAD") routePolicies.push({ method: m, url: route.url, policy });
    // Static files of the web app and of the API docs page carry no data: public by nature.
    if (!route.url.startsWith("/api/") || route.url.startsWith("/api/docs")) return;
    if (!policy) throw new Error(`route ${methods.join(",")} ${route.url} has no policy decision (config.policy)`);
    if (policy !== "public" && !opts.knownActions.has(policy))
      throw new Error(`route ${route.url} names unknown policy action '${policy}'`);
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Gongshu 公数 API", version: "0.1.0", description: "公共数据资源开发利用平台 API" },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "gongshu_session" },
          token: { type: "http", scheme: "bearer" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });

  app.addHook("onRequest", async (req) => {
    await opts.authenticate(req);
  });
  app.addHook("preHandler", async (req) => {
    const action = req.routeOptions.config?.policy;
    if (!action) return; // swagger-ui static files
    if (action !== "public") await opts.authorize(req, action);
  });

  app.setErrorHandler((err: any, req, reply) => {
    if (err instanceof DomainError) {
      if (err instanceof RateLimitedError && err.retryAfter) reply.header("retry-after", String(Math.ceil(err.retryAfter)));
      return reply.status(err.status).send(err.toBody());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const v = err.validation[0];
      const where = (err as any).validationContext ?? "body";
      const path = v.instancePath.split("/").filter(Boolean);
      const e = explainIssue({ code: v.keyword, path, message: v.message, ...(v.params as object) } as IssueLike, where);
      const field = path.length || v.keyword === "unrecognized_keys" ? e.field : where;
      return reply.status(400).send({ error: { code: "invalid", message: e.message, messageEn: e.messageEn, field } });
    }
    const code: string | undefined = err?.code;
    if (code === "FST_ERR_CTP_BODY_TOO_LARGE")
      return reply.status(413).send({ error: { code: "too_large", message: `请求体过大（上限 ${opts.bodyLimit} 字节）`, messageEn: `Request body too large (limit ${opts.bodyLimit} bytes)`, field: "body" } });
    if (code === "FST_ERR_CTP_INVALID_JSON_BODY" || (err instanceof SyntaxError && err.message.includes("JSON")) || code === "FST_ERR_CTP_EMPTY_JSON_BODY")
      return reply.status(400).send({ error: { code: "invalid", message: "请求体不是合法的 JSON", messageEn: "Request body is not valid JSON", field: "body" } });
    if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
      return reply.status(415).send({ error: { code: "invalid", message: "不支持的内容类型", messageEn: "Unsupported content type", field: "content-type" } });
    if (typeof err?.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500)
      return reply.status(err.statusCode).send({ error: { code: "invalid", message: "请求无效", messageEn: String(err.message ?? "Bad request") } });
    req.log.error({ err }, "unhandled error");
    return reply.status(500).send({ error: { code: "internal", message: "服务器内部错误", messageEn: "Internal server error" } });
  });

  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split("?")[0];
    if (opts.spaFallback && req.method === "GET" && !p.startsWith("/api/") && !p.startsWith("/assets/"))
      return (reply as unknown as { sendFile(f: string): unknown }).sendFile("index.html");
    reply.status(404).send({ error: { code: "not_found", message: "接口不存在", messageEn: `No route ${req.method} ${req.url.split("?")[0]}` } });
  });

  return app;
}
