// `sitrep serve`: the HTTP API and the web map over one store, until interrupted.
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadConfig } from '../config.js';
import { InputError } from '../errors.js';
import { startServer } from '../serve/server.js';
import type { Io } from './io.js';
import { resources } from './io.js';
import { dbTarget } from './store.js';

interface ServeFlags {
  db?: string;
  host: string;
  port: string;
  token?: string;
  open?: boolean;
  allowOrigin: string[];
  cache: boolean;
  rules?: string[];
}

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description('serve the HTTP API (/api/...) and the web map (/) over a store')
    .addOption(new Option('--db <dir|url>', 'store: a directory (embedded PGlite) or postgres:// URL (default $SITREP_DB or ./.sitrep)'))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8080')
    .option('--token <token>', 'token that POST /api/reports needs (default $SITREP_TOKEN)')
    .option('--open', "without a token, allow writes from loopback clients through the server's own page (only with a loopback --host)")
    .option('--allow-origin <url>', 'a page origin (http://name:port) that may write besides the server\'s own, and a Host name it answers to; repeat for more (default $SITREP_ALLOW_ORIGIN, comma-separated)', (v: string, all: string[]) => [...all, v], [])
    .option('--no-cache', 'answer every request from the store (by default answers are kept until the next write, for an embedded store)')
    .option('--rules <dir...>', 'extra rule directories that extend the built-in rules')
    .action(async (flags: ServeFlags) => {
      const config = loadConfig(process.env, flags.rules ?? []);
      const token = flags.token ?? (process.env.SITREP_TOKEN || null);
      const allowOrigins = flags.allowOrigin.length ? flags.allowOrigin : (process.env.SITREP_ALLOW_ORIGIN ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (!/^\d{1,5}$/.test(flags.port)) throw new InputError(`--port "${flags.port}" is not a port number`);
      // Extraction resources take seconds to load: load them before listening, not on the first request.
      resources(config);
      const running = await startServer({
        db: dbTarget(flags.db),
        host: flags.host,
        port: Number(flags.port),
        token,
        open: !!flags.open,
        allowOrigins,
        cache: flags.cache ? undefined : false,
        config,
        resources: () => resources(config),
        today: io.today,
        log: io.err,
      });
      const writes = token ? 'with the token' : flags.open ? 'open on loopback' : 'refused (no token)';
      io.out(`sitrep serve: listening on ${running.url} (store ${dbTarget(flags.db)}; writes ${writes})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await running.close();
    });
}
