import { defineCommand } from "../command.ts";
import { renderVersion, versionInfo } from "../version_info.ts";

export default defineCommand({
  name: "version",
  arguments: "",
  description: "The form is how queuectl runs: source (deno run main.ts), bundle or binary.",
  options: {
    json: { type: Boolean, description: "print the versions as JSON" },
  },
  examples: ["queuectl --version", "queuectl version --json | jq -r .version"],
  run(context, { options }) {
    const info = versionInfo();
    if (options.json) context.stdout.json(info);
    else context.stdout.write(renderVersion(info));
    return Promise.resolve(0);
  },
});
