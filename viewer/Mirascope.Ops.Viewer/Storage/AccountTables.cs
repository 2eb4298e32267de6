namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The tables of organizations, projects, environments, people, roles, API keys and page sessions
    /// (<see cref="Accounts.AccountStore"/>): the same text on both engines (SQLite's BIGINT is an INTEGER), created by
    /// each engine's migration step (SQLite schema 5, PostgreSQL schema 2). Keys and session tokens are stored only as
    /// their SHA-256; passwords only as PBKDF2 hashes (<see cref="Accounts.PasswordHash"/>).
    /// </summary>
    internal static class AccountTables
    {
        public static readonly SqlText Create = SqlText.Of($@"
            CREATE TABLE IF NOT EXISTS organizations (
                id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_ms BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_ms BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS organization_owners (
                organization_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (organization_id, user_id));
            CREATE TABLE IF NOT EXISTS projects (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL, created_ms BIGINT NOT NULL,
                UNIQUE (organization_id, name));
            CREATE TABLE IF NOT EXISTS environments (
                id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, created_ms BIGINT NOT NULL,
                UNIQUE (project_id, name));
            CREATE TABLE IF NOT EXISTS project_members (
                project_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (project_id, user_id));
            CREATE INDEX IF NOT EXISTS project_members_by_user ON project_members (user_id);
            CREATE TABLE IF NOT EXISTS api_keys (
                id TEXT PRIMARY KEY, environment_id TEXT NOT NULL, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
                key_prefix TEXT NOT NULL, owner_user_id TEXT NOT NULL, created_ms BIGINT NOT NULL, revoked_ms BIGINT, last_used_ms BIGINT);
            CREATE INDEX IF NOT EXISTS api_keys_by_environment ON api_keys (environment_id);
            CREATE TABLE IF NOT EXISTS sessions (
                token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL);
            CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);");
    }
}
