import type { Command } from 'commander';
import { pickLanguage } from '../../shared/errors.ts';
import {
  createWebhookSchema,
  DELIVERY_STATUSES,
  type DeliveryStatus,
  WEBHOOK_EVENTS,
} from '../../shared/webhooks.ts';
import { EXIT, withContext } from '../context.ts';

export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('Outgoing webhooks: case events POSTed to other systems');

  webhooks
    .command('list')
    .description('Every webhook: id, state, events, URL')
    .action(() =>
      withContext(async ({ services, actor }) => {
        const list = await services.webhooks.listWebhooks(actor);
        if (list.length === 0) console.log('No webhooks.');
        for (const w of list) {
          console.log(
            `${w.id}\t${w.active ? 'active' : 'inactive'}\t${w.name}\t${w.url}\t${w.events.join(',')}`,
          );
        }
      }),
    );

  webhooks
    .command('add')
    .description('Create a webhook and print its secret (shown this once)')
    .requiredOption('--name <name>', 'a name to recognise it by')
    .requiredOption('--url <url>', 'http:// or https:// address that receives the POSTs')
    .requiredOption('--events <list>', `comma-separated, from: ${WEBHOOK_EVENTS.join(', ')}`)
    .option('--secret <secret>', 'signing secret (16+ characters); generated when left out')
    .action((options: { name: string; url: string; events: string; secret?: string }) =>
      withContext(async ({ services, actor, locale }) => {
        const input = createWebhookSchema.safeParse({
          name: options.name,
          url: options.url,
          events: options.events.split(',').map((e) => e.trim()),
          ...(options.secret ? { secret: options.secret } : {}),
        });
        if (!input.success) {
          for (const issue of input.error.issues) {
            console.error(`--${String(issue.path[0])}: ${pickLanguage(issue.message, locale)}`);
          }
          return EXIT.usage;
        }
        const created = await services.webhooks.createWebhook(actor, input.data);
        console.log(`Created webhook ${created.id} (${created.name}) for ${created.events.join(', ')}.`);
        console.log(`Secret (shown only now): ${created.secret}`);
      }),
    );

  webhooks
    .command('deliveries')
    .description('The latest deliveries of a webhook: status, attempts, last error')
    .argument('<id>', 'webhook id')
    .option('--status <status>', `only ${DELIVERY_STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many, newest first', '20')
    .action((id: string, options: { status?: string; limit: string }) =>
      withContext(async ({ services, actor }) => {
        const status = options.status as DeliveryStatus | undefined;
        if (status && !DELIVERY_STATUSES.includes(status)) {
          console.error(`Unknown status "${status}". Use one of: ${DELIVERY_STATUSES.join(', ')}.`);
          return EXIT.usage;
        }
        const page = await services.webhooks.listDeliveries(actor, Number(id), {
          status,
          page: 1,
          pageSize: Math.min(Math.max(Number(options.limit) || 20, 1), 200),
        });
        if (page.items.length === 0) console.log('No deliveries.');
        for (const d of page.items) {
          console.log(
            [
              d.createdAt,
              d.status,
              `attempts ${d.attempts}`,
              d.event,
              d.caseNumber ?? '-',
              d.id,
              d.lastError ?? '',
            ]
              .join('\t')
              .trimEnd(),
          );
        }
      }),
    );
}
