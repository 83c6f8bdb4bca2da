import { configFromStored, describeConfig } from "../../core/config.ts";
import { defineCommand } from "../command.ts";
import { renderTable } from "../render/table.ts";

export default defineCommand({
  name: "config list",
  arguments: "",
  options: {
    json: {
      type: Boolean,
      description: "print {key: value} as JSON (numbers as numbers, durations as text)",
    },
  },
  examples: ["queuectl config list"],
  async run(context, { options }) {
    const config = configFromStored(await context.storeOrEmpty().readConfigValues());
    const entries = describeConfig(config);
    if (options.json) {
      context.stdout.json(Object.fromEntries(entries.map((entry) => [entry.key, entry.json])));
    } else {
      context.stdout.write(renderTable(
        ["KEY", "VALUE", "DEFAULT", "MEANING"],
        entries.map((entry) => [entry.key, entry.shown, entry.default, entry.description]),
        context.terminalWidth,
      ));
    }
    return 0;
  },
});
