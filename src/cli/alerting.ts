// Alerts on what ingested reports change, for `sitrep watch`, `worker` and `ingest`: control of the
// districts a report speaks of without and with its claims, the rules of src/follow/alerts.ts
// evaluated, each alert kept once in the store, written as a JSON line and POSTed to a webhook.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { District } from '../control/claims.js';
import { InputError } from '../errors.js';
import { evaluateAlerts, parseAlertRules } from '../follow/alerts.js';
import type { AlertRule, ControlChange, ControlView } from '../follow/alerts.js';
import { postWebhook } from '../follow/http.js';
import type { Webhook } from '../follow/http.js';
import { sourceSpec } from '../follow/sources.js';
import { decodeInput } from '../ingest/decode.js';
import { version } from '../serve/server.js';
import { alertJson } from '../store/follow.js';
import type { AddResult, PreparedReport, Store } from '../store/store.js';
import type { Io } from './io.js';

export const userAgent = () => `sitrep/${version()} (conflict report follower; one request at a time per host)`;

export interface AlertFlags {
  alerts?: string;
  webhook?: string;
  webhookSecret?: string;
}

/** The options of alerting, for the commands that ingest (watch, worker, ingest). */
export function alertOptions(cmd: Command): Command {
  return cmd
    .option('--alerts <file>', 'alert rules (TSV: name, area, condition) evaluated on each new report; alerts are JSON lines on stdout')
    .option('--webhook <url>', 'with --alerts: POST each alert here (default $SITREP_WEBHOOK)')
    .option('--webhook-secret <key>', 'sign webhook POSTs with HMAC-SHA256 in X-Sitrep-Signature (default $SITREP_WEBHOOK_SECRET)');
}

/** A file named by a flag, decoded; a missing or unreadable one is an InputError naming the flag. */
export function readFlagFile(file: string, what: string): string {
  try {
    return decodeInput(fs.readFileSync(file), file).text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${what} ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export class Alerting {
  private constructor(
    private readonly store: Store,
    private readonly rules: AlertRule[],
    private readonly webhook: Webhook | null,
    private readonly io: Io,
    private readonly random: () => number,
  ) {}

  /** The alerting the flags ask for (--alerts, --webhook, --webhook-secret and their variables), or null. Checked before any work. */
  static fromFlags(flags: AlertFlags, env: NodeJS.ProcessEnv = process.env): ((store: Store, io: Io) => Alerting) | null {
    if (!flags.alerts) {
      if (flags.webhook) throw new InputError('--webhook needs --alerts FILE (the rules that raise alerts)');
      return null;
    }
    const rules = parseAlertRules(readFlagFile(flags.alerts, '--alerts'), flags.alerts);
    const url = flags.webhook ?? env.SITREP_WEBHOOK ?? null;
    if (url) sourceSpec(url, '--webhook', () => false);
    const webhook: Webhook | null = url ? { url, secret: flags.webhookSecret ?? env.SITREP_WEBHOOK_SECRET ?? null, attempts: 4, retryMs: 500, timeoutMs: 10_000, userAgent: userAgent() } : null;
    return (store, io) => new Alerting(store, rules, webhook, io, Math.random);
  }

  private get controlRules(): boolean {
    return this.rules.some((r) => r.condition.kind === 'control_changes' || r.condition.kind === 'becomes_contested');
  }

  /** Control of the districts a report speaks of, through claim `throughClaim`. */
  private async controlOf(prep: PreparedReport, throughClaim: number): Promise<Map<string, ControlView>> {
    const out = new Map<string, ControlView>();
    const codes = new Set(prep.claims.map((c) => c.district.code));
    for (const country of new Set(prep.claims.map((c) => c.district.country))) {
      for (const d of await this.store.control({ asOf: prep.published, country, throughClaim })) {
        if (codes.has(d.code)) out.set(d.code, { controller: d.controller, status: d.status, since: d.since });
      }
    }
    return out;
  }

  /**
   * Evaluates the rules on a report just stored and keeps the alerts not raised before; they are
   * to be emitted. Control before the report is control through the claim before its first, after
   * it through its last: what this report changed, whatever other workers stored meanwhile.
   */
  async raise(prep: PreparedReport, r: AddResult): Promise<Record<string, unknown>[]> {
    if (r.status !== 'new') return [];
    const span = this.controlRules && r.claims ? await this.store.claimSpan(r.reportId) : null;
    const changes: ControlChange[] = [];
    if (span) {
      const [before, after] = [await this.controlOf(prep, span.first - 1), await this.controlOf(prep, span.last)];
      const unknown: ControlView = { controller: null, status: 'unknown', since: null };
      const districts = new Map<string, { district: District; events: number[] }>();
      for (const c of prep.claims) {
        const d = districts.get(c.district.code) ?? { district: c.district, events: [] };
        if (c.event !== null) d.events.push(c.event);
        districts.set(c.district.code, d);
      }
      for (const [code, d] of districts) changes.push({ ...d, before: before.get(code) ?? unknown, after: after.get(code) ?? unknown });
    }
    const drafts = evaluateAlerts(this.rules, {
      report: { id: r.reportId, url: prep.url, source: prep.source, title: prep.title, published: prep.published },
      events: prep.events,
      eventIds: r.eventIds,
      changes,
    });
    const out: Record<string, unknown>[] = [];
    for (const { key, ...alert } of drafts) {
      const stored = await this.store.follow.addAlert({ key, rule: alert.rule, condition: alert.condition, reportId: r.reportId, alert });
      if (stored) out.push(alertJson(stored));
    }
    return out;
  }

  /** An alert out: a JSON line on stdout, and a signed POST to the webhook when one is set. */
  async emit(alert: Record<string, unknown>): Promise<void> {
    const line = JSON.stringify(alert);
    this.io.out(`${line}\n`);
    if (!this.webhook) return;
    try {
      await postWebhook(this.webhook, line, this.random);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // The alert stays in the store (`sitrep alerts`); a hook that is down stops nothing.
      this.io.err(`sitrep: alert ${String(alert.id)} not delivered: ${e.message}\n`);
    }
  }
}
