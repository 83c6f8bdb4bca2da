/**
 * The stress jobs' command: one shell script that appends to the ledger a line when an attempt
 * starts (`S`), when it gets SIGTERM (`T`) and when it ends (`E`), each with the job's id and
 * attempt (from the worker's QUEUECTL_JOB_ID and QUEUECTL_ATTEMPT), its queue, the time in ms
 * and the shell's pid, which tells apart two runs of one attempt; `E` adds the exit code. Lines are short single appends, so concurrent attempts never interleave inside one.
 */

/** What an attempt does: sleep, then succeed or fail; `stubborn` takes a while to end on SIGTERM. */
export type JobKind = "ok" | "fail" | "flaky" | "slow" | "stubborn";

/** An attempt ends with this code when it fails on purpose. */
export const FAILURE_CODE = 3;

/** How long a stubborn attempt goes on after SIGTERM, in seconds. */
const STUBBORN_CLEANUP_SECONDS = 0.8;

export function jobScript(ledger: string): string {
  return `# queuectl stress job: <queue> <kind> <seconds> <failures before success>
ledger='${ledger}'
queue=$1 kind=$2 seconds=$3 failures=\${4:-0}
record() { echo "$1 $QUEUECTL_JOB_ID $QUEUECTL_ATTEMPT $queue $(date +%s%3N) $$ $2" >> "$ledger"; }
record S
if [ "$kind" = stubborn ]; then
  trap 'record T term; sleep ${STUBBORN_CLEANUP_SECONDS}; record E term; exit 143' TERM
else
  trap 'record T term; record E term; exit 143' TERM
fi
sleep "$seconds"
code=0
case $kind in
  fail) code=${FAILURE_CODE} ;;
  flaky) if [ "$QUEUECTL_ATTEMPT" -le "$failures" ]; then code=${FAILURE_CODE}; fi ;;
esac
record E $code
exit $code
`;
}

/** The command line of a job that runs `script` with these arguments. */
export function jobCommand(
  script: string,
  queue: string,
  kind: JobKind,
  seconds: number,
  failures = 0,
): string {
  return `sh ${script} ${queue} ${kind} ${seconds} ${failures}`;
}
