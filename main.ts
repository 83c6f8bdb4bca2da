import { processContext } from "./src/cli/context.ts";
import { runCli } from "./src/cli/run_cli.ts";

const context = processContext();
const status = await runCli(Deno.args, context);
context.close();
Deno.exit(status);
