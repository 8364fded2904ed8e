/**
 * The controls an access review is evidence for. Every review row maps to the SOC 2 and ISO/IEC
 * 27001 access-review controls; a row whose rule comes from the CIS benchmark also maps to those
 * recommendations (the rule's `references.cis`, shared/rules/types.ts).
 */

/** One control: its id as auditors write it, the framework, and what the row evidences for it. */
export interface EvidenceControl {
  id: string;
  framework: string;
  description: string;
}

/** Controls every review row evidences. Descriptions paraphrase the criteria; see the frameworks for their text. */
export const EVIDENCE_CONTROLS: readonly EvidenceControl[] = [
  {
    id: 'SOC 2 CC6.2',
    framework: 'AICPA SOC 2 Trust Services Criteria (2017, revised points of focus 2022)',
    description:
      'Access is authorised before it is granted and removed when no longer authorised: each row shows the owner\'s keep/revoke decision with its reason, and any removal with its approvers.',
  },
  {
    id: 'SOC 2 CC6.3',
    framework: 'AICPA SOC 2 Trust Services Criteria (2017, revised points of focus 2022)',
    description:
      'Access is authorised, modified or removed based on roles and least privilege, with segregation of duties: revocations and rollbacks are approved by someone other than the requester, and each change is read back.',
  },
  {
    id: 'ISO/IEC 27001:2022 A.5.18',
    framework: 'ISO/IEC 27001:2022 Annex A',
    description: 'Access rights are provided, reviewed, modified and removed according to the access control policy: each row is one periodic review of an access right and its outcome.',
  },
];

export const CIS_BENCHMARK = 'CIS Alibaba Cloud Foundations Benchmark v2.0';

/** The control id of a CIS recommendation, e.g. "CIS Alibaba Cloud Foundations Benchmark v2.0 1.6". */
export function cisControlId(cisId: string): string {
  return `${CIS_BENCHMARK} ${cisId}`;
}

/** Control ids of a row whose rule cites these CIS recommendations. */
export function controlsFor(cis: readonly string[]): string[] {
  return [...EVIDENCE_CONTROLS.map((c) => c.id), ...cis.map(cisControlId)];
}
