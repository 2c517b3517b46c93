/**
 * Reading `scontrol --oneliner show job` output.
 *
 * @module
 */

/**
 * The records of `scontrol --oneliner show job` output: one per line, `Key=Value` fields (a value
 * may hold spaces and `=`: `Command=/a b/x.sh`, `TRES=cpu=1,node=1`). For a job array there is one
 * record per task that has started (`ArrayTaskId=3`) and one for the tasks still pending
 * (`ArrayTaskId=4-7`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseScontrolShowJob } from "./scontrol.ts";
 * const [job] = parseScontrolShowJob(
 *   "JobId=7 ArrayJobId=2 ArrayTaskId=3 JobState=FAILED ExitCode=3:0 TRES=cpu=1,node=1 Command=/a b/x.sh Power=\n",
 * );
 * assert.equal(job.ArrayTaskId, "3");
 * assert.equal(job.ExitCode, "3:0");
 * assert.equal(job.TRES, "cpu=1,node=1");
 * assert.equal(job.Command, "/a b/x.sh");
 * assert.equal(job.Power, "");
 * ```
 */
export function parseScontrolShowJob(text: string): Record<string, string>[] {
  const records: Record<string, string>[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const record: Record<string, string> = {};
    let key: string | null = null;
    for (const token of line.trim().split(" ")) {
      const m = /^([A-Za-z][\w:/]*)=(.*)$/s.exec(token);
      if (m !== null) {
        key = m[1];
        record[key] = m[2];
      } else if (key !== null) record[key] += ` ${token}`;
    }
    records.push(record);
  }
  return records;
}
