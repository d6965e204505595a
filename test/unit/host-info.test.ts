import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { detectContainerImage, parseContainerEnv } from "../../agent/host/detect-container-image.js";
import { loadedModules } from "../../agent/host/loaded-modules.js";
import { parseCudaVersion, parseNvidiaSmiCsv } from "../../agent/host/parse-nvidia-smi.js";
import { parseOsRelease } from "../../agent/host/parse-os-release.js";
import { queryGpus } from "../../agent/host/query-gpus.js";

// dist/test/unit → the sources' test/fixtures.
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/nvidia-smi");

void describe("parseNvidiaSmiCsv", () => {
  void it("reads NVIDIA's documented noheader,nounits CSV", () => {
    const gpus = parseNvidiaSmiCsv("0, NVIDIA H100 80GB HBM3, GPU-3f1c2d4e-5a6b-7c8d-9e0f-1a2b3c4d5e6f, 81559, 550.54.15\n");
    assert.deepEqual(gpus, [
      { index: 0, model: "NVIDIA H100 80GB HBM3", uuid: "GPU-3f1c2d4e-5a6b-7c8d-9e0f-1a2b3c4d5e6f", memoryMib: 81559, driverVersion: "550.54.15" },
    ]);
  });

  void it("reads real output captured on an H100", () => {
    const text = readFileSync(path.join(FIXTURES, "h100-query-noheader-nounits.csv"), "utf8");
    assert.deepEqual(parseNvidiaSmiCsv(text), [
      { index: 0, model: "NVIDIA H100 80GB HBM3", uuid: "GPU-6e7c9292-21f2-0883-03db-bf20e3d0eaa7", memoryMib: 81559, driverVersion: "580.159.04" },
    ]);
  });

  void it("skips the header line and reads MiB units of the csv format", () => {
    const text = readFileSync(path.join(FIXTURES, "h100-query-csv.csv"), "utf8");
    const gpus = parseNvidiaSmiCsv(text);
    assert.equal(gpus.length, 1);
    assert.equal(gpus[0]?.memoryMib, 81559);
  });

  void it("reads several GPUs, sorts by index, CRLF, and [N/A]", () => {
    const text =
      "1, NVIDIA A100-SXM4-40GB, GPU-bbbb, 40960, 535.104.05\r\n" +
      "0, NVIDIA A100-SXM4-40GB, GPU-aaaa, 40960, 535.104.05\r\n" +
      "2, Tesla T4, [N/A], [N/A], 535.104.05\r\n\r\n";
    const gpus = parseNvidiaSmiCsv(text);
    assert.deepEqual(
      gpus.map((g) => [g.index, g.uuid, g.memoryMib]),
      [
        [0, "GPU-aaaa", 40960],
        [1, "GPU-bbbb", 40960],
        [2, "", 0],
      ],
    );
  });

  void it("ignores lines that are not GPU rows", () => {
    assert.deepEqual(parseNvidiaSmiCsv("No devices were found\n"), []);
    assert.deepEqual(parseNvidiaSmiCsv(""), []);
  });
});

// `nvidia-smi --version` as printed on an H100 node with driver 580.159.04.
const SMI_VERSION = [
  "NVIDIA-SMI version  : 580.159.04",
  "NVML version        : 580.159",
  "DRIVER version      : 580.159.04",
  "CUDA Version        : 13.0",
  "",
].join("\n");

void describe("parseCudaVersion", () => {
  void it("reads the CUDA version from nvidia-smi --version", () => {
    assert.equal(parseCudaVersion(SMI_VERSION), "13.0");
  });

  void it("reads the CUDA version from plain nvidia-smi output", () => {
    assert.equal(parseCudaVersion(readFileSync(path.join(FIXTURES, "h100-nvidia-smi.txt"), "utf8")), "13.0");
    assert.equal(parseCudaVersion("nothing"), "");
  });
});

void describe("parseOsRelease", () => {
  void it("reads ID, VERSION_ID and PRETTY_NAME with their quoting", () => {
    const text = [
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="12"',
      "ID=debian",
      "# a comment",
      "",
    ].join("\n");
    assert.deepEqual(parseOsRelease(text), { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)" });
  });

  void it("handles single quotes, escapes and missing keys", () => {
    assert.deepEqual(parseOsRelease("ID='rocky'\nPRETTY_NAME=\"Say \\\"hi\\\"\"\n"), { id: "rocky", versionId: "", prettyName: 'Say "hi"' });
    assert.deepEqual(parseOsRelease(""), { id: "", versionId: "", prettyName: "" });
  });
});

void describe("loadedModules", () => {
  void it("splits LOADEDMODULES and sorts", () => {
    assert.deepEqual(loadedModules({ LOADEDMODULES: "gcc/12.2.0:cuda/12.1:openmpi/4.1.5::cuda/12.1" }), ["cuda/12.1", "gcc/12.2.0", "openmpi/4.1.5"]);
    assert.deepEqual(loadedModules({}), []);
  });
});

void describe("container image", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-host-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const digest = `sha256:${"ab".repeat(32)}`;

  void it("parses /run/.containerenv", () => {
    const fields = parseContainerEnv('engine="podman-4.9.3"\nname="train"\nimage="ghcr.io/acme/train:2024-05"\nimageid="' + "ab".repeat(32) + '"\nrootless=1\n');
    assert.equal(fields.get("image"), "ghcr.io/acme/train:2024-05");
    assert.equal(fields.get("rootless"), "1");
  });

  void it("takes SNAPTRAIL_IMAGE and SNAPTRAIL_IMAGE_DIGEST first", async () => {
    const image = await detectContainerImage({ SNAPTRAIL_IMAGE: "ghcr.io/acme/train:1", SNAPTRAIL_IMAGE_DIGEST: digest }, path.join(dir, "none"));
    assert.deepEqual(image, { reference: "ghcr.io/acme/train:1", digest, source: "env", runtime: "" });
  });

  void it("never invents a digest", async () => {
    const bad = await detectContainerImage({ SNAPTRAIL_IMAGE: "ghcr.io/acme/train:1", SNAPTRAIL_IMAGE_DIGEST: "latest" }, path.join(dir, "none"));
    assert.equal(bad?.digest, "");
    const pinned = await detectContainerImage({ SNAPTRAIL_IMAGE: `ghcr.io/acme/train@${digest}` }, path.join(dir, "none"));
    assert.equal(pinned?.digest, digest);
  });

  void it("reads Podman's containerenv file", async () => {
    const file = path.join(dir, "containerenv");
    writeFileSync(file, `engine="podman-4.9.3"\nimage="ghcr.io/acme/train:2024-05"\nimageid="${"ab".repeat(32)}"\n`);
    assert.deepEqual(await detectContainerImage({}, file), { reference: "ghcr.io/acme/train:2024-05", digest, source: "containerenv", runtime: "podman" });
    writeFileSync(file, "");
    assert.deepEqual(await detectContainerImage({}, file), { reference: "", digest: "", source: "containerenv", runtime: "podman" });
  });

  void it("names an Apptainer image file, without a digest", async () => {
    const image = await detectContainerImage({ APPTAINER_CONTAINER: "/images/train.sif" }, path.join(dir, "none"));
    assert.deepEqual(image, { reference: "/images/train.sif", digest: "", source: "apptainer", runtime: "apptainer" });
  });

  void it("gives null outside a container", async () => {
    assert.equal(await detectContainerImage({}, path.join(dir, "none")), null);
  });
});

// This machine has no GPU: a stand-in nvidia-smi on PATH prints what the real one printed on an
// H100 node for the two commands queryGpus runs, to check the lookup on the job's PATH and the
// wiring. The commands and their cost were checked on the real thing.
void describe("queryGpus", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "snaptrail-smi-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const smi = (name: string, script: string) => {
    const bin = path.join(dir, name);
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, "nvidia-smi"), script);
    chmodSync(path.join(bin, "nvidia-smi"), 0o755);
    return bin;
  };

  void it("runs nvidia-smi from the job's PATH", async () => {
    const csv = readFileSync(path.join(FIXTURES, "h100-query-noheader-nounits.csv"), "utf8");
    const bin = smi(
      "ok",
      `#!/bin/sh\ncase "$1" in\n  --query-gpu=index,name,uuid,memory.total,driver_version) printf '%s' '${csv}' ;;\n` +
        `  --version) printf '%s' '${SMI_VERSION}' ;;\n  *) exit 9 ;;\nesac\n`,
    );
    const q = await queryGpus({ PATH: bin }, dir);
    assert.deepEqual(q.warnings, []);
    assert.equal(q.cudaDriverVersion, "13.0");
    assert.deepEqual(q.gpus, [
      { index: 0, model: "NVIDIA H100 80GB HBM3", uuid: "GPU-6e7c9292-21f2-0883-03db-bf20e3d0eaa7", memoryMib: 81559, driverVersion: "580.159.04" },
    ]);
  });

  void it("warns when nvidia-smi fails, and says nothing when there is none", async () => {
    const bin = smi("broken", "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\nexit 9\n");
    const q = await queryGpus({ PATH: bin }, dir);
    assert.deepEqual(q.gpus, []);
    assert.deepEqual(q.warnings, [
      { source: "host", message: "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." },
    ]);
    assert.deepEqual(await queryGpus({ PATH: path.join(dir, "none") }, dir), { gpus: [], cudaDriverVersion: "", warnings: [] });
  });
});
