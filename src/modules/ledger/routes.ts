/**
 * Public verification endpoints. All are `policy: "public"`: anyone may fetch checkpoints,
 * proofs, tiles and keys and verify the ledger themselves.
 */
import type { App } from "../../core/http.ts";
import {
  ConsistencyProofResponse,
  ConsistencyQuery,
  EntryParams,
  InclusionProofResponse,
  InclusionQuery,
  LedgerEntryResponse,
  TileParams,
  VerifierKeysResponse,
} from "./schema.ts";
import type { LedgerService } from "./service.ts";

export interface LedgerRoutesOptions {
  ledger: LedgerService;
}

export function ledgerRoutes(app: App, { ledger }: LedgerRoutesOptions): void {
  app.get(
    "/api/ledger/checkpoint",
    { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "最新的签名检查点 / latest signed checkpoint (C2SP signed note)" } },
    async (_req, reply) => {
      const note = await ledger.checkpoint();
      // Mutable resource: cache for a few seconds at most (tlog-tiles).
      return reply.header("content-type", "text/plain; charset=utf-8").header("cache-control", "no-cache").send(note);
    },
  );

  app.get(
    "/api/ledger/keys",
    { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "验签公钥 / verifier keys", response: { 200: VerifierKeysResponse } } },
    async () => ({ origin: ledger.origin, hash: ledger.hash, vkeys: ledger.verifierKeys() }),
  );

  app.get(
    "/api/ledger/tile/*",
    { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "tlog-tiles 瓦片与条目包 / tiles and entry bundles", params: TileParams } },
    async (req, reply) => {
      const t = await ledger.tile(`tile/${req.params["*"]}`);
      // Tiles are immutable once they exist.
      return reply.header("content-type", t.contentType).header("cache-control", "public, max-age=31536000, immutable").send(t.bytes);
    },
  );

  app.get(
    "/api/ledger/entries/:index",
    { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "账本记录 / one ledger entry", params: EntryParams, response: { 200: LedgerEntryResponse } } },
    async (req) => ledger.entry(req.params.index),
  );

  app.get(
    "/api/ledger/proof/inclusion",
    { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "包含性证明 / inclusion proof", querystring: InclusionQuery, response: { 200: InclusionProofResponse } } },
    async (req) => ledger.inclusionProof(req.query.index, req.query.size),
  );

  app.get(
    "/api/ledger/proof/consistency",
    { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "一致性证明 / consistency proof", querystring: ConsistencyQuery, response: { 200: ConsistencyProofResponse } } },
    async (req) => ledger.consistencyProof(req.query.from, req.query.to),
  );
}
