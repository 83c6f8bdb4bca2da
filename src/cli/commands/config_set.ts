import {
  backoffNote,
  checkAgainstConfig,
  configFromStored,
  findConfigKey,
  showConfigValue,
} from "../../core/config.ts";
import { quoteValue, UsageError } from "../../core/errors.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "config set",
  arguments: "<key> <value>",
  description: "Settings are stored in the database; running workers pick them up within a second.",
  options: {},
  valuesFrom: 1,
  examples: ["queuectl config set max_retries 5", "queuectl config set job_timeout 10m"],
  async run(context, { positionals }) {
    // Every word after the key is a value (`backoff_base -1` reads as one), so an option given
    // after the value (`--json`) or a list written with spaces arrives here.
    if (positionals.length > 2) {
      throw new UsageError(
        `Unexpected argument ${quoteValue(positionals[2]!)} after '${positionals[0]} ${
          positionals[1]
        }': config set takes a key and one value (quote a value that has spaces)`,
      );
    }
    if (positionals.length !== 2) {
      throw new UsageError("Give a key and a value: queuectl config set <key> <value>");
    }
    const definition = findConfigKey(positionals[0]!);
    const value = definition.parse(positionals[1]!);
    const store = context.store();
    const config = configFromStored(await store.readConfigValues());
    checkAgainstConfig(config, definition, value);
    await store.writeConfigValue(definition.key, definition.format(value));
    context.stdout.line(`${definition.key} = ${showConfigValue(definition, value)}`);
    const note = backoffNote({ ...config, [definition.field]: value }, definition.key);
    if (note !== null) context.stderr.line(`queuectl: ${note}`);
    return 0;
  },
});
