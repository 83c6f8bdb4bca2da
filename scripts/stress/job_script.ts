/**
 * The stress jobs' command: one shell script that appends to the ledger a line when an attempt
 * starts (`S`), every 0.3 s at most while it runs (`H`), when it gets SIGTERM (`T`) and when it
 * ends (`E`), each with the job's id and attempt (from the worker's QUEUECTL_JOB_ID and
 * QUEUECTL_ATTEMPT), its queue, the time in ms and the shell's pid, which tells apart two runs of
 * one attempt; `E` adds the exit code. An attempt SIGKILLed (by recovery, or after kill_grace)
 * writes no end: its last line bounds when it was still running. Lines are short single appends,
 * so concurrent attempts never interleave inside one.
 */

/** What an attempt does: sleep, then succeed or fail; `stubborn` takes a while to end on SIGTERM. */
export type JobKind = "ok" | "fail" | "flaky" | "slow" | "stubborn";

/** An attempt ends with this code when it fails on purpose. */
export const FAILURE_CODE = 3;

/** How long a stubborn attempt goes on after SIGTERM, in seconds. */
const STUBBORN_CLEANUP_SECONDS = 0.8;

export function jobScript(ledger: string): string {
  return `# queuectl stress job: <queue> <kind> <tenths of a second> <failures before success>
ledger='${ledger}'
queue=$1 kind=$2 left=$3 failures=\${4:-0}
record() { echo "$1 $QUEUECTL_JOB_ID $QUEUECTL_ATTEMPT $queue $(date +%s%3N) $$ $2" >> "$ledger"; }
record S
if [ "$kind" = stubborn ]; then
  trap 'record T term; sleep ${STUBBORN_CLEANUP_SECONDS}; record E term; exit 143' TERM
else
  trap 'record T term; record E term; exit 143' TERM
fi
while [ "$left" -gt 0 ]; do
  step=$(( left < 3 ? left : 3 ))
  sleep "0.$step"
  left=$(( left - step ))
  record H
done
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
  tenths: number,
  failures = 0,
): string {
  return `sh ${script} ${queue} ${kind} ${tenths} ${failures}`;
}
