import { MEDIATION_WRITER_ROLES } from '../../../shared/mediation.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  DOCUMENT_CONTENT_TYPES,
  type DocumentFormat,
  type PrintedDocument,
} from '../inspections/inspection-documents.service.ts';
import { assertRole } from '../people/access.policy.ts';
import type { Actor } from '../people/actor.ts';
import { renderAgreementDocx, renderAgreementPdf } from './agreement-document.ts';
import * as repo from './mediation.repository.ts';
import type { MediationService } from './mediation.service.ts';

/** 河清社区居委会 → 河清社区人民调解委员会; 上西村委会 → 上西村人民调解委员会. */
export function committeeOf(regionName: string): string {
  const village = regionName.replace(/(居民委员会|村民委员会|居委会)$/, '').replace(/村委会$/, '村');
  return `${village}人民调解委员会`;
}

/**
 * The agreement of a settled mediation as PDF or Word. It is what the parties sign, so it carries their
 * particulars in clear: only the roles that mediate may print it, and each print is in the audit log as a reveal.
 */
export function createMediationDocuments(deps: {
  db: Db;
  audit: AuditService;
  mediation: Pick<MediationService, 'load'>;
}) {
  const { db, audit, mediation } = deps;

  async function agreement(actor: Actor, id: number, format: DocumentFormat): Promise<PrintedDocument> {
    assertRole(actor, MEDIATION_WRITER_ROLES, { zh: '打印调解协议书', en: 'print a mediation agreement' });
    const row = await mediation.load(actor, id);
    const found = await repo.findAgreement(db, id);
    if (!found) {
      throw new AppError('NOT_FOUND', {
        entity: { zh: '调解协议书', en: 'Mediation agreement' },
        id: row.number,
      });
    }
    const parties = await repo.listParties(db, id);
    // The committee is the village's, whichever of its grids the dispute lies in: `region_name` is the village's.
    const villageName = row.region_name ?? '';
    const data = {
      committee: committeeOf(villageName),
      number: found.number,
      mediationNumber: row.number,
      disputeType: row.dispute_type,
      parties: parties.map((p) => ({
        side: p.side,
        name: p.name,
        idNumber: p.id_number,
        phone: p.phone,
        address: p.address,
      })),
      facts: found.facts,
      terms: found.terms,
      performanceMethod: found.performance_method,
      performancePlace: found.performance_place,
      performBy: found.perform_by,
      signedOn: found.signed_on,
      mediator: row.mediator_name,
      synthetic: row.synthetic,
    };
    const bytes = format === 'pdf' ? await renderAgreementPdf(data) : await renderAgreementDocx(data);
    await audit.record(db, {
      actor,
      action: 'mediation.print',
      entityType: 'mediation',
      entityId: row.id,
      countyCode: row.county_code,
      details: { number: row.number, agreement: found.number, format, fields: ['idNumber', 'phone'] },
    });
    const stem = found.number.replace(/[()（）〔〕]/g, '');
    return {
      fileName: `人民调解协议书-${stem}.${format}`,
      asciiName: `mediation-agreement-${row.id}.${format}`,
      contentType: DOCUMENT_CONTENT_TYPES[format],
      bytes,
    };
  }

  return { agreement };
}
