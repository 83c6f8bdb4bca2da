import { configFromStored, findConfigKey } from "../../core/config.ts";
import { UsageError } from "../../core/errors.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "config get",
  arguments: "<key>",
  options: {},
  examples: ["queuectl config get max_retries"],
  async run(context, { positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError("Give one key: queuectl config get <key>");
    }
    const definition = findConfigKey(positionals[0]!);
    const config = configFromStored(await context.storeOrEmpty().readConfigValues());
    context.stdout.line(definition.format(config[definition.field]));
    return 0;
  },
});
