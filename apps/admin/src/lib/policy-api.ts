import type { PolicyDocument, PolicyRecord } from '../api/types.ts';

export interface StoredPolicy {
  id: string;
  name: string;
  doc: PolicyDocument;
  created_at: string | null;
  updated_at: string | null;
}

/**
 * A policy as listed by the API. Rows are stored as `{id, name, document}`; some answers flatten the
 * document into the row. Either way we keep the document itself for the editor, without row fields.
 */
export function toStoredPolicy(row: PolicyRecord & { document?: PolicyDocument }): StoredPolicy {
  const {
    id,
    policy_id,
    created_at,
    updated_at,
    createdAt,
    updatedAt,
    createdBy,
    created_by,
    document,
    ...rest
  } = row as PolicyRecord & Record<string, unknown> & { document?: PolicyDocument };
  const doc = (document ?? rest) as PolicyDocument;
  const name = doc.name ?? row.name;
  return {
    id: String(id ?? policy_id ?? name),
    name,
    doc: { ...doc, name },
    created_at: (created_at ?? (createdAt as string | undefined) ?? null) as string | null,
    updated_at: (updated_at ?? (updatedAt as string | undefined) ?? null) as string | null,
  };
}

/** The body of /policy/update: the new document plus the row id (the name itself may change). */
export function updateBody(p: StoredPolicy, doc: PolicyDocument): Record<string, unknown> {
  return { ...doc, id: p.id };
}
