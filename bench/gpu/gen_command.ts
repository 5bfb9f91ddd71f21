/**
 * Runs `llm-judge gen` without the rest of the CLI (whose other commands
 * need npm packages the GPU machine does not carry): bench/gpu/run.sh calls
 * `deno run bench/gpu/gen_command.ts gen --model-path ...`.
 * @module
 */
import { runCommand } from "../../cli/_command.ts";
import { genCommand } from "../../cli/gen.ts";

const [name, ...rest] = Deno.args;
if (name !== "gen") {
  throw new RangeError(`gen_command.ts runs "gen" only, got ${JSON.stringify(name)}`);
}
Deno.exit(await runCommand(genCommand, rest));
