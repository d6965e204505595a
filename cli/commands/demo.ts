import type { Command } from "commander";

interface DemoFlags {
  python: string;
  keep?: boolean;
  color?: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("the whole story on real things: two pip venvs, a git repo, a collector on SQLite, two wrapped runs, their diff")
    .option("--python <path>", "Python used to create the demo's venvs", "python3")
    .option("--keep", "keep the demo's folder and database instead of removing them")
    .option("--no-color", "no colour in the diff")
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import("../../demo/run-demo.js");
      await runDemo({
        python: flags.python,
        goodRequirement: "pydantic==1.10.13",
        badRequirement: "pydantic==2.7.1",
        keep: flags.keep ?? false,
        color: (flags.color ?? true) && process.stdout.isTTY === true && !process.env.NO_COLOR,
      });
    });
}
