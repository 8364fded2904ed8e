-- The ledger is append-only: refuse UPDATE, DELETE and TRUNCATE. A superuser can still disable
-- the trigger, which is why `ramparts audit verify` re-checks the hash chain and the head.

CREATE FUNCTION audit_ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_ledger is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'audit entries are only ever added, through the store''s appendAudit';
END
$$;

CREATE TRIGGER audit_ledger_no_change
  BEFORE UPDATE OR DELETE ON audit_ledger
  FOR EACH ROW EXECUTE FUNCTION audit_ledger_append_only();

CREATE TRIGGER audit_ledger_no_truncate
  BEFORE TRUNCATE ON audit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_append_only();
