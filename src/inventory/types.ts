/** A provider whose organization key inventory the audit reads. */
export type InventoryProvider = 'openai' | 'anthropic';

/** One API key as its provider's admin API describes it; never its value. */
export interface InventoryKey {
  provider: InventoryProvider;
  /** `admin`: an organization admin key, the most powerful kind. */
  kind: 'api' | 'admin';
  id: string;
  name: string;
  /** The OpenAI project or Anthropic workspace the key belongs to. */
  project?: { id: string; name: string };
  /** Who owns (OpenAI) or created (Anthropic) the key: a name, email or id, as the provider gives it. */
  owner?: string;
  ownerType?: 'user' | 'service_account';
  /** The provider's redacted form (`redacted_value`, `partial_key_hint`): its first and last characters. */
  hint?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; null when never used; undefined when the provider does not report it. */
  lastUsedAt?: string | null;
  status: 'active' | 'inactive' | 'archived' | 'expired';
  /** OpenAI's `owner_project_access`: whether the owner still has access to the project. */
  ownerAccess?: 'active' | 'inactive';
  /** Model requests per UTC day (`YYYY-MM-DD`) over the usage window; undefined when usage was not read. */
  requestsByDay?: Readonly<Record<string, number>>;
}

/** What one provider's inventory read produced. */
export interface ProviderInventory {
  provider: InventoryProvider;
  keys: InventoryKey[];
  /** One line each: what could not be read and which permission is missing. */
  problems: string[];
  /** Whether usage per key was read (OpenAI's usage API). */
  usageRead: boolean;
}
