// Builds the pages into dist/: one hashed script and stylesheet (immutable names, so the server
// may cache them for a year) and index.html pointing at them. dist/ is committed and embedded in
// the server binary, so `cargo build` never needs Node; CI rebuilds it and fails on any drift
// (`node build.mjs --check`).
import { build } from "esbuild";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes("--check");
const out = check ? mkdtempSync(join(tmpdir(), "gpubroker-web-")) : join(here, "dist");

// The client's own dependencies resolve from this package's node_modules, whatever
// clients/typescript/node_modules holds: one copy, pinned here, and its ES module build. (Resolved
// from web/ itself, tsconfig's `paths` would point them at package folders, whose `main` is the
// CommonJS build: the bundle held both builds, twice the size.)
const pinned = /^@(bufbuild\/protobuf|connectrpc\/connect|connectrpc\/connect-web)(\/.*)?$/;
const oneCopy = {
  name: "one-copy",
  setup(build) {
    build.onResolve({ filter: pinned }, (args) =>
      args.pluginData === "pinned"
        ? undefined
        : build.resolve(args.path, { kind: args.kind, resolveDir: join(here, "node_modules"), pluginData: "pinned" }),
    );
  },
};

const result = await build({
  absWorkingDir: here,
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  charset: "utf8",
  outdir: join(out, "assets"),
  entryNames: "[name]-[hash]",
  // The operators' console is a chunk of its own, loaded only under /admin/.
  splitting: true,
  chunkNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  write: false,
  alias: { "@gpubroker/client": join(here, "../clients/typescript/src/index.ts") },
  plugins: [oneCopy],
  logLevel: "warning",
});

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });
const names = {};
for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  if (output.entryPoint === "src/main.ts") names.js = path.slice(path.lastIndexOf("/") + 1);
  if (path.endsWith(".css")) names.css = path.slice(path.lastIndexOf("/") + 1);
}
if (!names.js || !names.css) throw new Error(`no entry script or stylesheet among ${Object.keys(result.metafile.outputs)}`);
const html = readFileSync(join(here, "src/index.html"), "utf8")
  .replace("{{script}}", `/assets/${names.js}`)
  .replace("{{style}}", `/assets/${names.css}`);
writeFileSync(join(out, "index.html"), html);
cpSync(join(here, "src/favicon.svg"), join(out, "favicon.svg"));

if (check) {
  const committed = join(here, "dist");
  const list = (dir) => readdirSync(dir, { recursive: true }).map(String).sort();
  const problems = [];
  const want = list(out);
  const have = list(committed);
  if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`files: built ${want} but committed ${have}`);
  for (const name of want) {
    try {
      if (!readFileSync(join(out, name)).equals(readFileSync(join(committed, name)))) problems.push(`${name} differs`);
    } catch {
      // A directory or a missing file: the list comparison names it.
    }
  }
  rmSync(out, { recursive: true, force: true });
  if (problems.length) {
    console.error(`web/dist is not what web/src builds: run (cd web && npm run build) and commit\n${problems.join("\n")}`);
    process.exit(1);
  }
  console.log("web/dist is up to date");
} else {
  console.log(`built ${names.js}, ${names.css}`);
}
