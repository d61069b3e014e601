/**
 * The overdue sweep timed several times on the same work, for bench/cases and bench/sweep. One sweep is too
 * noisy a sample to compare two versions by: it may race a checkpoint or autovacuum, or pay for pages that no
 * change touched since the last checkpoint in one run and not in the next.
 *
 * Before each sweep the same cases are re-armed: the overdue and warned flags the sweeps set are cleared, the
 * timeline entries and inbox rows they wrote deleted, the tables vacuumed, and a checkpoint taken. A district's
 * sweep touches pages spread over a million cases, which no change touched since the last checkpoint, so each
 * page's first change writes its whole image to the WAL; a checkpoint before each sweep keeps that cost in every
 * one. Autovacuum is off on the bench's tables, which the bench vacuums itself.
 *
 * The file runs against older versions too (copy bench/ into a worktree of the commit): it uses plain SQL, and
 * skips tables an older schema does not have.
 */
import pg from 'pg';

export interface SweepTimes {
  /** Milliseconds per sweep, in the order run. */
  times: number[];
  median: number;
  /** Cases the last sweep escalated. */
  escalated: number;
}

/**
 * Times `sweep` `repeats` times. PROFILE=1 logs every statement of the last sweep to the server's log
 * (PROFILE=all: of every sweep).
 */
export async function timeSweeps(
  url: string,
  sweep: () => Promise<readonly unknown[]>,
  repeats: number,
): Promise<SweepTimes> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  await q('drop table if exists arm_o, arm_w');
  await q('create table arm_o as select id from cases where not overdue');
  await q('create table arm_w as select id from cases where not warned');
  const tables = await q(
    `select relname from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
  );
  for (const { relname } of tables.rows) await q(`alter table "${relname}" set (autovacuum_enabled = false)`);
  const max = async (t: string) => Number((await q(`select coalesce(max(id), 0) as m from ${t}`)).rows[0]?.m);
  const events = await max('case_events');
  const notes = await max('notifications');
  const times: number[] = [];
  let escalated = 0;
  for (let i = 0; i < repeats; i++) {
    await q('update cases set overdue = false where overdue and id in (select id from arm_o)');
    await q('update cases set warned = false where warned and id in (select id from arm_w)');
    await q('delete from case_events where id > $1', [events]);
    await q('delete from notifications where id > $1', [notes]);
    // The evaluation's queue (0022 on) and the running steps' clocks (0049 on); versions before have neither.
    await q('delete from case_fact_queue').catch(() => {});
    for (const table of ['cases', 'case_events', 'notifications', 'case_timers'])
      await q(`vacuum analyze ${table}`).catch(() => {});
    await q('checkpoint');
    const profiled = process.env.PROFILE === 'all' || (process.env.PROFILE && i === repeats - 1);
    if (profiled) await logEveryStatement(q, true);
    const t = performance.now();
    escalated = (await sweep()).length;
    times.push(performance.now() - t);
    if (profiled) await logEveryStatement(q, false);
  }
  await q('drop table arm_o, arm_w');
  await client.end();
  const sorted = [...times].sort((a, b) => a - b);
  return { times, median: sorted[Math.floor(sorted.length / 2)] ?? 0, escalated };
}

async function logEveryStatement(q: (text: string) => Promise<unknown>, on: boolean) {
  await q(
    on ? 'alter system set log_min_duration_statement = 0' : 'alter system reset log_min_duration_statement',
  );
  await q('select pg_reload_conf()');
  // The setting reaches the pool's connections when they next read their configuration.
  if (on) await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(`PROFILE ${on ? 'START' : 'END'}`, new Date().toISOString());
}
