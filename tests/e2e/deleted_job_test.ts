import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { TestHome, waitFor } from "../helpers/cli.ts";

/** Deletes a job that has not ended, from another connection: what `prune` does to an ended one. */
function deleteJob(home: TestHome, id: string): void {
  const db = new DatabaseSync(`${home.path}/queue.db`);
  try {
    assert.equal(db.prepare("DELETE FROM jobs WHERE id = ?").run(id).changes, 1);
  } finally {
    db.close();
  }
}

/** Starts the CLI; its stdout and stderr are read as they come. */
function start(home: TestHome, args: readonly string[]) {
  const child = home.spawn(args);
  let stdout = "";
  let stderr = "";
  const reading = Promise.all([
    child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (text) => void (stdout += text) }),
    ),
    child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (text) => void (stderr += text) }),
    ),
  ]);
  let code: number | null = null;
  const ending = child.status.then((status) => code = status.code);
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    /** The exit status, once it ended (killed if it has not within the deadline). */
    async ended(): Promise<number> {
      try {
        await waitFor(`queuectl ${args.join(" ")} to end`, () => code !== null);
      } finally {
        if (code === null) child.kill("SIGKILL");
        await ending;
        await reading;
      }
      return code!;
    },
  };
}

Deno.test("wait counts a job deleted before its end was seen as failed (exit 1)", async () => {
  await using home = await TestHome.create();
  const first = await home.enqueue("--delay", "1h", "true");
  const deleted = await home.enqueue("--delay", "1h", "true");
  const waiting = start(home, ["wait", first, deleted]);
  await home.ok("cancel", first);
  await waitFor("wait to report the first job", () => waiting.stdout().includes(first));
  deleteJob(home, deleted);
  assert.equal(await waiting.ended(), 1, waiting.stderr());
  assert.equal(
    waiting.stdout(),
    `${first} cancelled\n${deleted} deleted before its end was seen\n`,
  );
});

Deno.test("logs --follow and run end with exit 1 when the job is deleted before its end", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("--delay", "1h", "true");
  await Deno.writeTextFile(`${home.path}/logs/${id}.log`, "before\n");
  const following = start(home, ["logs", "--follow", id]);
  await waitFor("logs to print the log", () => following.stdout() === "before\n");
  deleteJob(home, id);
  assert.equal(await following.ended(), 1, following.stderr());
  assert.equal(following.stderr(), `queuectl: Job ${id} was deleted before its end was seen\n`);

  const running = start(home, ["run", "--wait-for-worker", "--", "true"]);
  const enqueued = await waitFor(
    "run to enqueue",
    () => /job (\S+) enqueued\n/.exec(running.stderr()),
  );
  deleteJob(home, enqueued[1]!);
  assert.equal(await running.ended(), 1, running.stderr());
  assert.equal(
    running.stderr(),
    `queuectl: ${
      enqueued[0]
    }queuectl: no worker is running: the job runs after 'queuectl worker start'\nqueuectl: Job ${
      enqueued[1]
    } was deleted before its end was seen\n`,
  );
});
