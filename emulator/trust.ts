/**
 * Who may assume a role, as STS decides it from the role's trust policy (reference §3 "Role trust
 * policy"): an Allow statement for `sts:AssumeRole` whose `Principal.RAM` names the caller's ARN, the
 * caller's account root (`acs:ram::<uid>:root` or the bare `<uid>`), or `*`; a matching Deny wins.
 * Conditions are not evaluated (the emulator treats a conditional statement as matching).
 * UNVERIFIED simplification: the caller's own `sts:AssumeRole` permission is not checked either.
 */

interface TrustStatement {
  Effect?: unknown;
  Action?: unknown;
  Principal?: unknown;
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function coversAssumeRole(action: unknown): boolean {
  return list(action).some((a) => ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));
}

function ramPrincipals(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (principal === null || typeof principal !== 'object') return [];
  const entries = Object.entries(principal as Record<string, unknown>);
  return entries.filter(([k]) => k.toLowerCase() === 'ram').flatMap(([, v]) => list(v));
}

/** True when the principal entry names the caller (`callerArn`) or its account (`callerAccount`). */
function names(entry: string, callerAccount: string, callerArn: string): boolean {
  const e = entry.toLowerCase();
  return e === '*' || e === callerAccount || e === `acs:ram::${callerAccount}:root` || e === callerArn.toLowerCase();
}

/** Whether the trust policy (a JSON string) lets `callerArn` of `callerAccount` assume the role. */
export function trustAllows(trustPolicy: string, callerAccount: string, callerArn: string): boolean {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(trustPolicy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter(
    (s): s is TrustStatement => s !== null && typeof s === 'object',
  );
  const matching = statements.filter(
    (s) => coversAssumeRole(s.Action) && ramPrincipals(s.Principal).some((p) => names(p, callerAccount, callerArn)),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return false;
  return matching.some((s) => s.Effect === 'Allow');
}
