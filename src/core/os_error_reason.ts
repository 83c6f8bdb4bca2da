/** "No such file or directory", without Deno's "(os error 2): open '…'" after it. */
export function osErrorReason(error: unknown): string {
  return (error as Error).message.replace(/ \(os error \d+\)[\s\S]*$/, "");
}
