import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import {
  DEFAULT_REDACT_SALT,
  isSecretName,
  looksLikeSecret,
  redactArgv,
  redactionMarker,
  redactionSalt,
  redactNamedValue,
  redactValue,
} from "../../agent/env/redact.js";
import { stripUrlCredentials } from "../../agent/env/strip-url-credentials.js";
import { collectEnvVars } from "../../agent/env/collect-env-vars.js";
import { defaultSaltWarningDue, resolveRedactionSalt } from "../../agent/env/redaction-salt.js";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SALT = "test-salt";
const MARKER = /<redacted sha256:[0-9a-f]{12}>/;

// Realistic secrets. The values are made up; they only have the shape of the real thing.
const SECRETS: Record<string, string> = {
  "AWS access key id": "AKIAIOSFODNN7EXAMPLE",
  "AWS session key id": "ASIAY34FZKBOKMUTVV7A",
  "AWS secret access key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "PEM private key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98\n-----END RSA PRIVATE KEY-----",
  "OpenSSH private key": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
  JWT: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  "GitHub token": "ghp_R8sx2Yb7kQ1mZ3nV5cW9pL4tH6jD0fA2gE8u",
  "Hugging Face token": "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
  "OpenAI-style key": "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90",
  "Slack bot token": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  "random base64 key": "c2VjcmV0LXZhbHVlLXRoYXQtaXMtbG9uZy1lbm91Z2g9PQ==",
  "random base62 key": "q8Zr3Lw0Xk5Tn2Vb7Hy4Jm1Pd6Gs9Fa3Ce8Ru5Ko",
};

// Things that look a bit like secrets and must stay readable.
const LOOK_ALIKES: Record<string, string> = {
  "absolute path": "/home/alice/projects/ResNet50_ImageNet_training_runs/checkpoints/epoch_0042.pt",
  "relative path": "outputs/2024-05-01/ResNet50_ImageNet_finetune_lr3e-4_bs256/model.safetensors",
  "LD_LIBRARY_PATH list": "/usr/local/cuda-12.1/lib64:/opt/conda/envs/train_env_py311/lib:/usr/lib/x86_64-linux-gnu",
  "PATH list": "/root/.pyenv/plugins/pyenv-virtualenv/shims:/root/.pyenv/shims:/usr/local/sbin:/usr/local/bin:/usr/bin",
  "40-hex commit id": "3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d",
  "64-hex sha256": "9a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5",
  "sha256 digest": "sha256:9a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5",
  "prefixed hex": "sha256-9a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5",
  UUID: "550e8400-e29b-41d4-a716-446655440000",
  "version string": "2.3.0+cu121.post20240501.dev0",
  "model id": "EleutherAI/gpt-neox-20b-deduped-Instruct-V2",
  "model id 2": "meta-llama/Llama-2-70b-chat-hf-FineTuned4Bit",
  "CamelCase identifier": "TransformerXLForSequenceClassification2",
  "snake identifier": "my_very_long_variable_name_for_training_run_2024_05_01",
  "image reference": "nvcr.io/nvidia/pytorch:24.05-py3",
  "URL without credentials": "https://pypi.example.org/simple/torch-2.3.0+cu121-cp311-cp311-linux_x86_64.whl",
  "ssh remote": "git@github.com:acme/training-pipelines.git",
  "JSON config": '{"lr": 0.0003, "batch_size": 256, "model": "bert-base-uncased"}',
  "boolean": "false",
  "XLA flags": "--xla_gpu_enable_triton_gemm=false --xla_gpu_autotune_level=0 --xla_force_host_platform_device_count=8",
  "allocator config": "expandable_segments:True,max_split_size_mb:512",
  "object store URI": "s3://my-bucket/datasets/ImageNet1K_v2_TrainSplit_2024Q1/shards",
  "conda env path": "/opt/conda/envs/py311_cu121_torch230_FlashAttn2/lib/python3.11/site-packages",
  "redaction marker": "<redacted sha256:0123456789ab>",
};

void describe("redactValue", () => {
  for (const [what, secret] of Object.entries(SECRETS)) {
    void it(`redacts a ${what}`, () => {
      assert.ok(looksLikeSecret(secret), what);
      const r = redactValue(secret, SALT);
      assert.equal(r.redacted, true);
      assert.match(r.value, MARKER);
      assert.ok(!r.value.includes(secret.slice(4, 20)), `${what} leaked: ${r.value}`);
    });
  }

  for (const [what, value] of Object.entries(LOOK_ALIKES)) {
    void it(`leaves a ${what} alone`, () => {
      assert.equal(looksLikeSecret(value), false, what);
      assert.deepEqual(redactValue(value, SALT), { value, redacted: false });
    });
  }

  void it("replaces only the password of a URL with credentials", () => {
    const r = redactValue("https://alice:s3cr3t-pass@pypi.internal.example/simple", SALT);
    assert.equal(r.value, `https://alice:${redactionMarker("s3cr3t-pass", SALT)}@pypi.internal.example/simple`);
    assert.equal(r.redacted, true);
  });

  void it("replaces the password of a URL with an empty user", () => {
    const r = redactValue("redis://:hunter2@cache:6379/0", SALT);
    assert.equal(r.value, `redis://:${redactionMarker("hunter2", SALT)}@cache:6379/0`);
  });

  void it("redacts a secret inside a longer value and keeps the rest", () => {
    const r = redactValue(`Bearer ${SECRETS.JWT ?? ""}`, SALT);
    assert.match(r.value, /^Bearer <redacted sha256:[0-9a-f]{12}>$/);
  });

  void it("gives the same marker for the same secret and salt, and another for another salt", () => {
    const a = redactValue(SECRETS["GitHub token"] ?? "", SALT).value;
    assert.equal(redactValue(SECRETS["GitHub token"] ?? "", SALT).value, a);
    assert.notEqual(redactValue(SECRETS["GitHub token"] ?? "", "other").value, a);
  });
});

void describe("redactionMarker and salt", () => {
  void it("is the first 12 hex of HMAC-SHA256(salt, value)", () => {
    const mac = createHmac("sha256", SALT).update("abc").digest("hex").slice(0, 12);
    assert.equal(redactionMarker("abc", SALT), `<redacted sha256:${mac}>`);
  });

  void it("takes the salt from SNAPTRAIL_REDACTION_SALT, then SNAPTRAIL_REDACT_SALT, else the documented default", () => {
    assert.equal(redactionSalt({ SNAPTRAIL_REDACT_SALT: "site" }), "site");
    assert.equal(redactionSalt({ SNAPTRAIL_REDACTION_SALT: "new", SNAPTRAIL_REDACT_SALT: "old" }), "new");
    assert.equal(redactionSalt({}), DEFAULT_REDACT_SALT);
    assert.equal(redactionSalt({ SNAPTRAIL_REDACT_SALT: "" }), DEFAULT_REDACT_SALT);
  });

  void it("resolves the installation's salt from the option, then the salt file, and says when it is the public default", () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-salt-"));
    try {
      const file = join(dir, "salt");
      writeFileSync(file, "0123abcd\n", { mode: 0o600 });
      assert.deepEqual(resolveRedactionSalt({ redactionSalt: "opt", redactionSaltFile: file }, {}), { salt: "opt", source: "option" });
      assert.deepEqual(resolveRedactionSalt({ redactionSaltFile: file }, { SNAPTRAIL_REDACT_SALT: "old" }), { salt: "0123abcd", source: "file" });
      assert.deepEqual(resolveRedactionSalt({}, {}), { salt: DEFAULT_REDACT_SALT, source: "default" });
      assert.throws(() => resolveRedactionSalt({ redactionSaltFile: join(dir, "missing") }, {}), /cannot read the redaction salt file .*missing/);
      writeFileSync(join(dir, "empty"), "\n");
      assert.throws(() => resolveRedactionSalt({ redactionSaltFile: join(dir, "empty") }, {}), /is empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("warns about the default salt once per spool, with a marker file in the spool folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "snaptrail-spool-"));
    try {
      const spool = join(dir, "spool");
      assert.equal(defaultSaltWarningDue(spool), true);
      assert.equal(defaultSaltWarningDue(spool), false);
      assert.deepEqual(readdirSync(spool), [".default-salt-warned"]);
      assert.equal(defaultSaltWarningDue(join(dir, "other-spool")), true, "another spool hears it too");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("never records the salt or its file among the env vars", () => {
    const vars = collectEnvVars({ SNAPTRAIL_REDACTION_SALT: "s", SNAPTRAIL_REDACTION_SALT_FILE: "/etc/s", SNAPTRAIL_REDACT_SALT: "s", SNAPTRAIL_MODE: "x" }, [], SALT);
    assert.deepEqual(vars.map((v) => v.name), ["SNAPTRAIL_MODE"]);
  });
});

// Probe cases: credentials that allow-listed variables and command lines carried in clear. Each
// value is [what is recorded, the secret that must not be].
void describe("credentials inside URLs, name=value pairs and flags", () => {
  const cases: { name: string; value: string; secret: string; kept: string[] }[] = [
    { name: "PIP_INDEX_URL", value: "https://plaintok3n42@pypi.internal.example/simple", secret: "plaintok3n42", kept: ["https://", "@pypi.internal.example/simple"] },
    { name: "PIP_EXTRA_INDEX_URL", value: "https://__token__:pypi-plainpw42@upload.example/simple", secret: "pypi-plainpw42", kept: ["__token__:", "@upload.example/simple"] },
    { name: "UV_INDEX_URL", value: "https://pkgs.example/simple?api_key=plainkey42&channel=stable", secret: "plainkey42", kept: ["https://pkgs.example/simple?api_key=", "&channel=stable"] },
    { name: "MLFLOW_TRACKING_URI", value: "https://mlflow.example:5000/?token=plaintok42", secret: "plaintok42", kept: ["https://mlflow.example:5000/?token="] },
    { name: "UV_EXTRA_INDEX_URL", value: "https://h.example/s?access_token=plainacc42", secret: "plainacc42", kept: ["?access_token="] },
    { name: "HF_ENDPOINT", value: "https://bucket.s3.example/obj?X-Amz-Credential=AKIDPLAIN%2F2024&X-Amz-Signature=plainsig42", secret: "plainsig42", kept: ["X-Amz-Signature="] },
    { name: "HF_MIRROR", value: "https://acct.blob.example/c/f?sv=2022-11-02&sig=plainsas42%3D", secret: "plainsas42%3D", kept: ["sv=2022-11-02&sig="] },
    { name: "TORCH_STORE", value: "https://h.example/x?password=plainpw42&secret=plainsec42", secret: "plainpw42", kept: ["?password="] },
    { name: "SNAPTRAIL_FOO", value: "password=plainpw42", secret: "plainpw42", kept: ["password="] },
    { name: "SNAPTRAIL_DB", value: "host=db.example user=app db_password=plainpw42 sslmode=require", secret: "plainpw42", kept: ["host=db.example user=app db_password=", " sslmode=require"] },
    { name: "SNAPTRAIL_ODBC", value: "Server=db;User Id=app;Password=plainpw42;Encrypt=yes", secret: "plainpw42", kept: ["Server=db;User Id=app;Password=", ";Encrypt=yes"] },
    { name: "SNAPTRAIL_ARGS", value: "--lr 3e-4 --password=plainpw42 --epochs 3", secret: "plainpw42", kept: ["--lr 3e-4 --password=", " --epochs 3"] },
    { name: "SNAPTRAIL_ARGS2", value: "--epochs 3 --token plaintok42 --verbose", secret: "plaintok42", kept: ["--epochs 3 --token ", " --verbose"] },
    { name: "SNAPTRAIL_QUOTED", value: "api_key='plain key 42' mode=fast", secret: "plain key 42", kept: ["api_key='", "' mode=fast"] },
  ];
  for (const c of cases) {
    void it(`redacts ${c.name}=${c.value}`, () => {
      const r = redactNamedValue(c.name, c.value, SALT);
      assert.equal(r.redacted, true, r.value);
      assert.ok(!r.value.includes(c.secret), `leaked: ${r.value}`);
      assert.ok(r.value.includes(redactionMarker(c.secret, SALT)), `marker of the secret alone: ${r.value}`);
      for (const k of c.kept) assert.ok(r.value.includes(k), `kept ${JSON.stringify(k)}: ${r.value}`);
      // Redacting again changes nothing: a marker is not a secret.
      assert.equal(redactNamedValue(c.name, r.value, SALT).value, r.value);
    });
  }

  void it("redacts the same inside command-line arguments", () => {
    const r = redactArgv(["pip", "install", "-i", "https://plaintok3n42@pypi.example/simple", "--db=host=h password=plainpw42", "sh", "-c", "curl 'https://h.example/?token=plaintok42'"], SALT);
    const joined = r.argv.join(" ");
    for (const secret of ["plaintok3n42", "plainpw42", "plaintok42"]) assert.ok(!joined.includes(secret), `${secret} leaked: ${joined}`);
    assert.equal(r.argv[3], `https://${redactionMarker("plaintok3n42", SALT)}@pypi.example/simple`);
  });

  void it("keeps URLs, ssh users and ordinary pairs readable", () => {
    for (const value of [
      "ssh://git@github.com/acme/x.git",
      "git+ssh://git@github.com/acme/x.git",
      "https://pypi.example/simple?channel=stable&page=2",
      "batch_size=32 lr=3e-4 max_new_tokens=256",
      "--tokenizer=bert-base-uncased --author=alice",
      "PWD=/home/alice",
    ]) {
      assert.deepEqual(redactValue(value, SALT), { value, redacted: false }, value);
    }
  });

  void it("knows the query-parameter names of signed URLs and MySQL's password variable", () => {
    for (const name of ["sig", "signature", "X-Amz-Signature", "MYSQL_PWD", "pass", "REDACTION_SALT"]) assert.equal(isSecretName(name), true, name);
    for (const name of ["PWD", "OLDPWD", "signal", "passes"]) assert.equal(isSecretName(name), false, name);
  });
});

void describe("isSecretName", () => {
  void it("knows secret names", () => {
    for (const name of [
      "HF_TOKEN",
      "WANDB_API_KEY",
      "AWS_SECRET_ACCESS_KEY",
      "DB_PASSWORD",
      "PGPASSWD",
      "MYSQL_PWD_PASSWORD",
      "GOOGLE_APPLICATION_CREDENTIALS",
      "HUGGING_FACE_HUB_TOKEN",
      "KEY",
      "SSH_PRIVATE_KEY_FILE",
      "AUTH_HEADER",
      "SESSION_ID",
      "COOKIE",
      "OPENAI_APIKEY",
      "api-key",
      "--password",
    ]) {
      assert.equal(isSecretName(name), true, name);
    }
  });

  void it("leaves ordinary names alone", () => {
    for (const name of ["PATH", "TOKENIZERS_PARALLELISM", "max_new_tokens", "NUM_TOKENS", "AUTHOR", "KEYBOARD", "MONKEY_PATCH", "HF_HOME", "LANG"]) {
      assert.equal(isSecretName(name), false, name);
    }
  });
});

void describe("redactNamedValue", () => {
  void it("redacts the whole value of a secret name", () => {
    const r = redactNamedValue("HF_TOKEN", "hf_short", SALT);
    assert.deepEqual(r, { value: redactionMarker("hf_short", SALT), redacted: true });
  });

  void it("redacts secret-looking values whatever the name", () => {
    const r = redactNamedValue("PIP_EXTRA_INDEX_URL", "https://ci:tok3n@pkgs.example/simple", SALT);
    assert.equal(r.redacted, true);
    assert.equal(r.value, `https://ci:${redactionMarker("tok3n", SALT)}@pkgs.example/simple`);
  });

  void it("leaves ordinary values alone", () => {
    assert.deepEqual(redactNamedValue("TOKENIZERS_PARALLELISM", "false", SALT), { value: "false", redacted: false });
  });
});

void describe("redactArgv", () => {
  void it("redacts --flag=value and --flag value by the flag's name", () => {
    const r = redactArgv(["python", "train.py", "--token=abc", "--password", "hunter2", "--lr", "3e-4", "--api-key=k"], SALT);
    assert.deepEqual(r.argv, [
      "python",
      "train.py",
      `--token=${redactionMarker("abc", SALT)}`,
      "--password",
      redactionMarker("hunter2", SALT),
      "--lr",
      "3e-4",
      `--api-key=${redactionMarker("k", SALT)}`,
    ]);
    assert.equal(r.redacted, true);
  });

  void it("redacts key=value overrides and URL passwords", () => {
    const r = redactArgv(["db.password=pw", "+wandb.api_key=xyz", "--data=s3://bucket/x", "--url=https://u:p4ss@h/x"], SALT);
    assert.deepEqual(r.argv, [
      `db.password=${redactionMarker("pw", SALT)}`,
      `+wandb.api_key=${redactionMarker("xyz", SALT)}`,
      "--data=s3://bucket/x",
      `--url=https://u:${redactionMarker("p4ss", SALT)}@h/x`,
    ]);
  });

  void it("leaves ordinary command lines alone", () => {
    const argv = ["torchrun", "--nproc_per_node=8", "train.py", "--max-new-tokens", "256", "--model", "EleutherAI/gpt-neox-20b"];
    assert.deepEqual(redactArgv(argv, SALT), { argv, redacted: false });
  });

  void it("does not take the next flag as a secret flag's value", () => {
    const r = redactArgv(["--use-auth-token", "--verbose"], SALT);
    assert.deepEqual(r.argv, ["--use-auth-token", "--verbose"]);
  });
});

void describe("stripUrlCredentials", () => {
  void it("removes user and password", () => {
    assert.equal(stripUrlCredentials("https://user:token@github.com/acme/x.git"), "https://github.com/acme/x.git");
    assert.equal(stripUrlCredentials("git+https://oauth2:glpat-abc@gitlab.example/acme/x.git"), "git+https://gitlab.example/acme/x.git");
  });

  void it("removes a token in the user part", () => {
    assert.equal(stripUrlCredentials("https://ghp_abcdef@github.com/acme/x"), "https://github.com/acme/x");
  });

  void it("keeps a password containing @ out", () => {
    assert.equal(stripUrlCredentials("https://u:p@ss@host/x"), "https://host/x");
  });

  void it("keeps scp-like and plain ssh remotes, and URLs without credentials", () => {
    assert.equal(stripUrlCredentials("git@github.com:acme/x.git"), "git@github.com:acme/x.git");
    assert.equal(stripUrlCredentials("ssh://git@github.com/acme/x.git"), "ssh://git@github.com/acme/x.git");
    assert.equal(stripUrlCredentials("https://github.com/acme/x.git"), "https://github.com/acme/x.git");
    assert.equal(stripUrlCredentials("file:///tmp/repo"), "file:///tmp/repo");
    assert.equal(stripUrlCredentials("/srv/git/repo.git"), "/srv/git/repo.git");
  });

  void it("removes a password from an ssh URL", () => {
    assert.equal(stripUrlCredentials("ssh://git:pw@host/x.git"), "ssh://host/x.git");
  });
});
