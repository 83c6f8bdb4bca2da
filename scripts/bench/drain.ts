/**
 * Drain: N pre-enqueued `true` jobs run by 2 workers, from the start command to the last
 * completion (the largest finished_at), against xargs -P2 and task-spooler with 2 slots.
 */
import { BenchHome, median, mustRun, onPath, progress, sleep, timed, wallMs } from "./harness.ts";
import { type BenchConfig, ms, ratio, type Row } from "./report.ts";

/** task-spooler's server select()s over one socket per queued job: keep below ~1000. */
const TSP_MAX_QUEUED = 900;

export async function benchDrain(config: BenchConfig): Promise<Row[]> {
  const jobs = config.quick ? 200 : 2000;
  const tspJobs = Math.min(jobs, TSP_MAX_QUEUED);
  const haveTsp = await onPath("tsp");
  if (!haveTsp) {
    progress(
      "drain: tsp not found, skipping the task-spooler baseline " +
        "(install it with: apt-get install task-spooler)",
    );
  }
  const times = {
    xargs: [] as number[],
    xargsSetsid: [] as number[],
    start: [] as number[],
    run: [] as number[],
  };
  const tsp = { perJob: [] as number[], perCall: [] as number[] };
  for (let run = 1; run <= config.runs; run++) {
    const label = `drain run ${run}/${config.runs}`;
    times.xargs.push(await drainXargs(jobs, ""));
    progress(`${label}: xargs -P2 ${ms(times.xargs.at(-1)!)}`);
    times.xargsSetsid.push(await drainXargs(jobs, "setsid "));
    progress(`${label}: xargs -P2 setsid ${ms(times.xargsSetsid.at(-1)!)}`);
    times.start.push(await drainQueuectl(jobs, "start"));
    progress(`${label}: worker start --count 2 ${ms(times.start.at(-1)!)}`);
    times.run.push(await drainQueuectl(jobs, "run"));
    progress(`${label}: worker run --concurrency 2 ${ms(times.run.at(-1)!)}`);
    if (haveTsp) {
      const result = await drainTsp(tspJobs);
      tsp.perJob.push(result.drainMs / tspJobs);
      tsp.perCall.push(result.enqueueCallMs);
      progress(
        `${label}: tsp ${tspJobs} jobs ${ms(result.drainMs)} (enqueue ${
          ms(result.enqueueCallMs)
        }/call)`,
      );
    }
  }
  const xargs = median(times.xargs);
  const tspPerJob = median(tsp.perJob);
  const rows: Row[] = [];
  for (
    const [mode, label] of [["start", "worker start --count 2"], [
      "run",
      "worker run --concurrency 2",
    ]] as const
  ) {
    const total = median(times[mode]);
    rows.push({
      scenario: "Drain",
      measure: `${jobs} × true, ${label}`,
      result: `${ms(total)} (${ms(total / jobs)}/job)`,
      baseline: `xargs -P2: ${ms(xargs)}`,
      ratio: ratio(total / xargs),
      target: "≤ 1.10× xargs",
      pass: total / xargs <= 1.1,
    });
    if (haveTsp) {
      const speedup = tspPerJob / (total / jobs);
      rows.push({
        scenario: "Drain",
        measure: `per job vs task-spooler, ${label}`,
        result: `${ms(total / jobs)}/job`,
        baseline: `tsp -S 2 (${tspJobs} jobs): ${ms(tspPerJob)}/job`,
        ratio: `${speedup.toFixed(2)}× faster`,
        target: "≥ 1.5× faster",
        pass: speedup >= 1.5,
      });
    }
  }
  rows.push({
    scenario: "Drain",
    measure: `${jobs} × true, seq | xargs -P2 sh -c true`,
    result: `${ms(xargs)} (${ms(xargs / jobs)}/job)`,
  });
  if (haveTsp) {
    // The floor of the task-spooler target: a queue can hardly start jobs faster than xargs.
    rows.push({
      scenario: "Drain",
      measure: "per job vs task-spooler, xargs -P2 itself",
      result: `${ms(xargs / jobs)}/job`,
      baseline: `tsp -S 2 (${tspJobs} jobs): ${ms(tspPerJob)}/job`,
      ratio: `${(tspPerJob / (xargs / jobs)).toFixed(2)}× faster`,
    });
  }
  const xargsSetsid = median(times.xargsSetsid);
  rows.push({
    scenario: "Drain",
    measure: "same, each job in its own session: xargs -P2 setsid sh -c true",
    result: `${ms(xargsSetsid)} (${ms(xargsSetsid / jobs)}/job)`,
    baseline: `xargs -P2: ${ms(xargs)}`,
    ratio: ratio(xargsSetsid / xargs),
  });
  if (haveTsp) {
    rows.push({
      scenario: "Drain",
      measure: "task-spooler: one `tsp true` call (enqueue)",
      result: ms(median(tsp.perCall)),
    });
  }
  return rows;
}

/** `prefix` "setsid " gives each job its own session and process group, as queuectl does. */
async function drainXargs(jobs: number, prefix: string): Promise<number> {
  const result = await mustRun(["sh", "-c", `seq ${jobs} | xargs -P2 -I{} ${prefix}sh -c true`]);
  return result.ms;
}

/** Time from starting the workers to the last job's finished_at. */
async function drainQueuectl(jobs: number, mode: "start" | "run"): Promise<number> {
  await using home = await BenchHome.create("drain");
  const file = `${home.path}/jobs.txt`;
  await Deno.writeTextFile(file, "true\n".repeat(jobs));
  await home.cli(["enqueue", "--file", file]);
  const done = () =>
    home.scalar("SELECT count(*) FROM jobs WHERE state IN ('completed', 'dead')") >= jobs;
  const start = wallMs();
  if (mode === "start") await home.startWorkers(2);
  else home.spawnWorkerRun(["--concurrency", "2"]);
  await home.waitUntil(`${jobs} jobs to finish`, done, 60_000 + jobs * 100, 50);
  const notCompleted = home.scalar("SELECT count(*) FROM jobs WHERE state != 'completed'");
  if (notCompleted > 0) throw new Error(`drain: ${notCompleted} jobs did not complete`);
  return home.scalar("SELECT max(finished_at) FROM jobs") - start;
}

/**
 * task-spooler: two blocker jobs hold both slots while the jobs are enqueued (one `tsp` call
 * each, also timed); then the blockers are released and `tsp -w` waits for the last job.
 */
async function drainTsp(jobs: number): Promise<{ drainMs: number; enqueueCallMs: number }> {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-bench-tsp-" });
  const env = { TS_SOCKET: `${dir}/socket`, TMPDIR: dir, TS_SLOTS: "2", TS_MAXFINISHED: "100000" };
  const gate = `${dir}/gate`;
  let released = false;
  try {
    await mustRun(["mkfifo", gate]);
    for (let i = 0; i < 2; i++) {
      await mustRun(["tsp", "sh", "-c", `cat '${gate}' >/dev/null`], { env });
    }
    const calls: number[] = [];
    for (let i = 0; i < jobs; i++) {
      calls.push((await mustRun(["tsp", "-B", "true"], { env })).ms);
    }
    const [program, ...args] = ["tsp", "-w"];
    const waiter = new Deno.Command(program!, {
      args,
      env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    await sleep(200);
    const start = performance.now();
    // Opening the FIFO for writing lets both blockers' `cat` read EOF.
    (await Deno.open(gate, { write: true })).close();
    released = true;
    await waiter.status;
    return { drainMs: performance.now() - start, enqueueCallMs: median(calls) };
  } finally {
    // Release the blockers if we failed before, then stop the server (its clients exit).
    if (!released) await timed(["timeout", "2", "sh", "-c", `: > '${gate}'`]).catch(() => {});
    await timed(["tsp", "-K"], { env }).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
