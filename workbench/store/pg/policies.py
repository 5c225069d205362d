"""Who may see and write what in the shared store, decided inside PostgreSQL.

Roles (cluster-wide, made once by ``workbench store admin URL init``):

- ``workbench_owner`` (NOLOGIN) owns the schema, tables and policies. Nobody logs in as it;
  row-level security is FORCEd, so even it reads through the policies.
- ``workbench_analyst`` (NOLOGIN) is the group every analyst's LOGIN role is in; it has only
  the grants an analyst needs: SELECT, INSERT on what an import writes, UPDATE of a source's
  two counts, nothing else. No analyst may DELETE a row, nor UPDATE one but a source's
  counts and their organisation's decisions (below).
- ``workbench_identity`` (NOLOGIN, BYPASSRLS) owns one function, ``wb_entity_ids``: an
  import must find the id of an identity that another organisation's hidden source made, or
  the database could not keep one entity per identity. The function returns ids only for the
  identities the importing analyst supplies; it never returns what anyone knows about them.

Policies (default deny: a table with row-level security and no policy for an action refuses
it): a source is visible when ``wb_may_see(org, handling, shared_with)``; every row that came
from a source (records, provenance, links, what a source says about an entity) is visible
when its source is; an entity is visible when at least one visible source names it, so an
entity known only from hidden records does not exist for the analyst at all.

Decisions (format version 2, ``STEP_POLICIES``): an organisation sees, applies and writes
only its own, and a decision is visible only while both its entities are visible to the
analyst. One organisation's judgement that two people are one is itself sensitive (it says
the organisation holds records on both, and links a victim's alias to a name another
organisation may never have heard), so it is never shared, not even with a partner that
sees the same sources. Decisions are the one table an analyst may UPDATE: a later decision on
a pair replaces the organisation's earlier one (the audit log keeps that it was made).
"""

from __future__ import annotations

from workbench.store.pg.schema import BY_SOURCE, READ_IN_VERSION_1

OWNER = "workbench_owner"
ANALYST = "workbench_analyst"
IDENTITY = "workbench_identity"

ROLES = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}') THEN
    CREATE ROLE {OWNER} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ANALYST}') THEN
    CREATE ROLE {ANALYST} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{IDENTITY}') THEN
    CREATE ROLE {IDENTITY} NOLOGIN BYPASSRLS; END IF;
END $$;
"""

# Run as the owner, after the tables.
FUNCTIONS = """
-- plain SQL with qualified names and no SET clause (the policies call them as subqueries,
-- run once per statement)
CREATE FUNCTION wb_my_org() RETURNS INTEGER LANGUAGE sql STABLE AS
$$ SELECT org_id FROM workbench.analysts WHERE role = current_user $$;

CREATE FUNCTION wb_may_see(o INTEGER, h TEXT, w INTEGER[]) RETURNS BOOLEAN
    LANGUAGE sql STABLE AS
$$ SELECT o = me OR h = 'all'
       OR (h = 'named' AND me = ANY (w)
           AND EXISTS (SELECT 1 FROM workbench.sharing s
                       WHERE s.owner_org = o AND s.with_org = me))
   FROM (SELECT workbench.wb_my_org() AS me) AS mine $$;

CREATE FUNCTION wb_entity_ids(p_types TEXT[], p_identities TEXT[])
    RETURNS TABLE (n BIGINT, id BIGINT, created BOOLEAN)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = workbench, pg_temp AS
$$
DECLARE made BIGINT[];
BEGIN
    -- sorted, so two imports meeting the same identities take them in the same order
    WITH ins AS (
        INSERT INTO entities (type, identity)
        SELECT DISTINCT w.t, w.i FROM unnest(p_types, p_identities) AS w (t, i)
        ORDER BY 1, 2
        ON CONFLICT (type, identity) DO NOTHING RETURNING entities.id)
    SELECT coalesce(array_agg(ins.id), '{}') INTO made FROM ins;
    -- a new statement: sees what another import committed while this one waited for it
    RETURN QUERY
        SELECT w.n, e.id, e.id = ANY (made)
        FROM unnest(p_types, p_identities) WITH ORDINALITY AS w (t, i, n)
        JOIN entities e ON e.type = w.t AND e.identity = w.i;
END $$;
"""


def _policies() -> str:
    # ``(SELECT wb_my_org())``, not ``wb_my_org()``: a subquery is run once per statement
    # (an InitPlan), where the function, which reads a table, would be called for every row
    me = "(SELECT wb_my_org())"
    visible_source = "source_id IN (SELECT id FROM sources)"
    mine = f"source_id IN (SELECT id FROM sources WHERE org_id = {me} " \
           "AND imported_by = current_user)"
    parts = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY; "
             f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY;" for t in READ_IN_VERSION_1]
    parts += [
        "CREATE POLICY read ON store_format FOR SELECT USING (true);",
        "CREATE POLICY read ON organisations FOR SELECT USING (true);",
        "CREATE POLICY read ON analysts FOR SELECT USING (role = current_user);",
        f"CREATE POLICY read ON sharing FOR SELECT "
        f"USING (owner_org = {me} OR with_org = {me});",
        "CREATE POLICY read ON types FOR SELECT USING (true);",
        "CREATE POLICY import ON types FOR INSERT WITH CHECK (true);",
        "CREATE POLICY read ON sources FOR SELECT "
        "USING (wb_may_see(org_id, handling, shared_with));",
        f"CREATE POLICY import ON sources FOR INSERT "
        f"WITH CHECK (org_id = {me} AND imported_by = current_user);",
        f"CREATE POLICY count ON sources FOR UPDATE "
        f"USING (org_id = {me} AND imported_by = current_user);",
        "CREATE POLICY read ON entities FOR SELECT USING "
        "(EXISTS (SELECT 1 FROM entity_sources s WHERE s.entity_id = entities.id));",
        f"CREATE POLICY read ON audit FOR SELECT USING (org_id = {me});",
        "CREATE POLICY write ON audit FOR INSERT WITH CHECK (true);",
    ]
    for t in BY_SOURCE:
        parts.append(f"CREATE POLICY read ON {t} FOR SELECT USING ({visible_source});")
        own = f" AND org_id = {me}" if t in ("records", "links") else ""
        parts.append(f"CREATE POLICY import ON {t} FOR INSERT WITH CHECK ({mine}{own});")
    return "\n".join(parts)


POLICIES = _policies()


def _decision_policies() -> str:
    me = "(SELECT wb_my_org())"
    seen = " AND ".join(f"EXISTS (SELECT 1 FROM entity_sources s WHERE s.entity_id = "
                        f"decisions.{end})" for end in ("a", "b"))
    mine = f"org_id = {me} AND {seen}"
    written = f"{mine} AND analyst = current_user"
    return f"""
ALTER TABLE decisions ENABLE ROW LEVEL SECURITY; ALTER TABLE decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY read ON decisions FOR SELECT USING ({mine});
CREATE POLICY decide ON decisions FOR INSERT WITH CHECK ({written});
CREATE POLICY decide_again ON decisions FOR UPDATE USING ({mine}) WITH CHECK ({written});
GRANT SELECT, INSERT, UPDATE ON decisions TO {ANALYST};
"""


# The policies and grants of each schema step (schema.STEPS), run by the owner right after it.
STEP_POLICIES: dict[int, str] = {2: _decision_policies()}


def grants(database: str) -> str:
    """The grants, run by the administrator after the owner made everything. ``database``
    must already be a quoted identifier."""
    writes = ", ".join(("sources", "types", "audit", *BY_SOURCE))
    return f"""
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {ANALYST};
REVOKE ALL ON SCHEMA workbench FROM PUBLIC;
GRANT USAGE ON SCHEMA workbench TO {ANALYST}, {IDENTITY};
GRANT SELECT ON ALL TABLES IN SCHEMA workbench TO {ANALYST};
GRANT INSERT ON {writes} TO {ANALYST};
GRANT UPDATE (rows_read, rows_imported) ON sources TO {ANALYST};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA workbench TO {ANALYST};
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA workbench FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA workbench TO {ANALYST};
GRANT SELECT, INSERT ON entities TO {IDENTITY};
GRANT USAGE ON SEQUENCE entities_id_seq TO {IDENTITY};
ALTER FUNCTION wb_entity_ids(TEXT[], TEXT[]) OWNER TO {IDENTITY};
"""
