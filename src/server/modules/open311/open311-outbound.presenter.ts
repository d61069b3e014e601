import type { Open311Endpoint, Open311Outbound } from '../../../shared/open311.ts';
import type { EndpointWithNames, OutboundListRow } from './open311-outbound.repository.ts';

/** The api_key is never answered: its first characters tell keys apart. */
function maskKey(key: string): string {
  return `${key.slice(0, 4)}****`;
}

export function presentEndpoint(row: EndpointWithNames): Open311Endpoint {
  return {
    id: row.id,
    name: row.name,
    departmentId: row.department_id,
    departmentName: row.department_name,
    baseUrl: row.base_url,
    apiKeyMasked: maskKey(row.api_key),
    jurisdictionId: row.jurisdiction_id,
    categoryIds: row.category_ids,
    active: row.active,
    pulledUntil: row.pulled_until.toISOString(),
    lastPullAt: row.last_pull_at?.toISOString() ?? null,
    lastPullError: row.last_pull_error,
    failedCount: Number(row.failed_count),
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

export function presentOutbound(row: OutboundListRow): Open311Outbound {
  return {
    id: Number(row.id),
    endpointId: row.endpoint_id,
    caseId: Number(row.case_id),
    caseNumber: row.case_number,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    lastError: row.last_error,
    remoteRequestId: row.remote_request_id,
    remoteToken: row.remote_token,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
  };
}
